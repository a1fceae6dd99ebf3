import type { CertificateKind, Delivery } from './types.ts';

/**
 * The issue dialog's form and the body POST /births/:id/certificates takes. Pure: the dialog shows
 * the errors this finds beside their fields, and the server checks again.
 */

/** Identity documents a collector commonly shows at a Kazakh registry office. */
export const identityDocuments = ['identity_card', 'passport', 'foreign_passport', 'residence_permit', 'stateless_certificate', 'refugee_certificate', 'other'] as const;

/** How the collector is related to the child (optional). */
export const relationships = ['mother', 'father', 'guardian', 'relative', 'representative', 'self'] as const;

export interface IssueForm {
  kind: CertificateKind;
  delivery: Delivery;
  name: string;
  relationship: string;
  documentType: string;
  documentNumber: string;
}

export const emptyIssueForm: IssueForm = { kind: 'birth_certificate', delivery: 'in_person', name: '', relationship: '', documentType: 'identity_card', documentNumber: '' };

export interface IssueBody {
  kind: CertificateKind;
  version: number;
  delivery: Delivery;
  collector?: { name: string; relationship?: string; documentType: string; documentNumber: string };
}

export type IssueFormErrors = Partial<Record<'name' | 'documentType' | 'documentNumber', 'required' | 'tooLong'>>;

/** Limits the server's schema sets (a name as long as a register's line, a document number). */
export const limits = { name: 200, documentNumber: 60 } as const;

/** A name as typed, without stray spaces at the ends or doubled inside; its letters and their case are kept. */
function tidy(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

/**
 * The body to send, or what is missing. Someone collecting a paper certificate names themself and
 * the document they showed; an electronic issuance has no collector, and nothing typed for one is sent.
 */
export function issueBody(form: IssueForm, version: number): { body: IssueBody } | { errors: IssueFormErrors } {
  if (form.delivery === 'electronic') return { body: { kind: form.kind, version, delivery: 'electronic' } };
  const name = tidy(form.name);
  const documentNumber = form.documentNumber.replace(/\s+/g, '');
  const errors: IssueFormErrors = {};
  if (!name) errors.name = 'required';
  else if (name.length > limits.name) errors.name = 'tooLong';
  if (!form.documentType) errors.documentType = 'required';
  if (!documentNumber) errors.documentNumber = 'required';
  else if (documentNumber.length > limits.documentNumber) errors.documentNumber = 'tooLong';
  if (Object.keys(errors).length) return { errors };
  const collector = { name, ...(form.relationship && { relationship: form.relationship }), documentType: form.documentType, documentNumber };
  return { body: { kind: form.kind, version, delivery: 'in_person', collector } };
}
