import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyIssueForm, issueBody, limits } from './issue-form.ts';

describe('the body of an issuance', () => {
  it('names the collector and the document they showed, tidied', () => {
    const form = { ...emptyIssueForm, name: '  Сейтқали   Әсел  Бекқызы ', relationship: 'mother', documentNumber: ' 045 112 233 ' };
    expect(issueBody(form, 7)).toEqual({
      body: {
        kind: 'birth_certificate',
        version: 7,
        delivery: 'in_person',
        collector: { name: 'Сейтқали Әсел Бекқызы', relationship: 'mother', documentType: 'identity_card', documentNumber: '045112233' },
      },
    });
  });

  it('leaves out a relationship not stated', () => {
    const result = issueBody({ ...emptyIssueForm, name: 'Ivanova Anna', documentNumber: 'N1234567' }, 1);
    expect(result).toEqual({ body: expect.objectContaining({ collector: { name: 'Ivanova Anna', documentType: 'identity_card', documentNumber: 'N1234567' } }) });
  });

  it('asks for the name and the document number of someone collecting a paper', () => {
    expect(issueBody({ ...emptyIssueForm, name: '   ' }, 1)).toEqual({ errors: { name: 'required', documentNumber: 'required' } });
    expect(issueBody({ ...emptyIssueForm, name: 'A', documentNumber: '1', documentType: '' }, 1)).toEqual({ errors: { documentType: 'required' } });
  });

  it('refuses what the server would refuse as too long', () => {
    const long = issueBody({ ...emptyIssueForm, name: 'А'.repeat(limits.name + 1), documentNumber: '9'.repeat(limits.documentNumber + 1) }, 1);
    expect(long).toEqual({ errors: { name: 'tooLong', documentNumber: 'tooLong' } });
  });

  it('sends no collector for an electronic issuance, whatever was typed', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.constantFrom('birth_certificate' as const, 'certified_copy' as const, 'extract' as const), (name, number, kind) => {
        const result = issueBody({ ...emptyIssueForm, kind, delivery: 'electronic', name, documentNumber: number }, 3);
        expect(result).toEqual({ body: { kind, version: 3, delivery: 'electronic' } });
      }),
    );
  });

  it('either sends a collector with a name and a number, or says what is missing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (name, number) => {
        const result = issueBody({ ...emptyIssueForm, name, documentNumber: number }, 1);
        if ('body' in result) {
          expect(result.body.collector?.name.trim()).not.toBe('');
          expect(result.body.collector?.documentNumber).toMatch(/^\S+$/);
        } else {
          expect(Object.keys(result.errors).length).toBeGreaterThan(0);
        }
      }),
    );
  });
});
