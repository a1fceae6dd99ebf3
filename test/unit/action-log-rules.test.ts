import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actionHash,
  canonicalJson,
  genesisHash,
  type Json,
  merkleRoot,
  sha256Hex,
} from '../../src/core/action-log/hashing.ts';
import {
  type ActionFacts,
  assertAllowed,
  fold,
  noRecord,
} from '../../src/core/action-log/record-definition.ts';
import { AppError } from '../../src/core/errors.ts';
import { noteRecord } from '../support/note-record.ts';

const json: fc.Arbitrary<Json> = fc.jsonValue() as fc.Arbitrary<Json>;

/** Rebuilds a value with every object's keys in a shuffled order, as jsonb may return them. */
function reorder(value: Json, seed: number): Json {
  if (Array.isArray(value)) return value.map((v) => reorder(v, seed));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (seed % 2) entries.reverse();
    return Object.fromEntries(entries.map(([k, v]) => [k, reorder(v, seed + 1)]));
  }
  return value;
}

describe('canonical JSON', () => {
  it('is the same whatever the key order, and parses back to an equal value', () => {
    fc.assert(
      fc.property(json, fc.nat(), (value, seed) => {
        const text = canonicalJson(value);
        expect(canonicalJson(reorder(value, seed))).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });
});

describe('action hashes', () => {
  const base = {
    recordId: '01900000-0000-7000-8000-000000000001',
    recordSeq: 1,
    type: 'OPEN',
    actor: 'u1',
    officeId: null,
    at: new Date('2026-01-01T00:00:00Z'),
    reason: null,
    payload: { a: 1 },
    prevHash: genesisHash,
  };

  it('change when any covered field changes', () => {
    const h = actionHash(base);
    const variants = [
      { recordSeq: 2 },
      { type: 'EDIT' },
      { actor: 'u2' },
      { officeId: 'o1' },
      { at: new Date('2026-01-01T00:00:00.001Z') },
      { reason: 'r' },
      { payload: { a: 2 } },
      { prevHash: sha256Hex('x') },
    ];
    for (const variant of variants) expect(actionHash({ ...base, ...variant })).not.toBe(h);
  });
});

describe('Merkle root', () => {
  const leaf = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));

  it('changes when a leaf is changed, removed, added or moved', () => {
    fc.assert(
      fc.property(fc.array(leaf, { minLength: 1, maxLength: 40 }), fc.nat(), leaf, (leaves, at, other) => {
        const root = merkleRoot(leaves);
        const i = at % leaves.length;
        if (other !== leaves[i]) expect(merkleRoot(leaves.with(i, other))).not.toBe(root);
        expect(merkleRoot(leaves.toSpliced(i, 1))).not.toBe(root);
        expect(merkleRoot(leaves.toSpliced(i, 0, other))).not.toBe(root);
        if (leaves.length > 1 && leaves[i] !== leaves[(i + 1) % leaves.length]) {
          const swapped = leaves
            .with(i, leaves[(i + 1) % leaves.length]!)
            .with((i + 1) % leaves.length, leaves[i]!);
          expect(merkleRoot(swapped)).not.toBe(root);
        }
      }),
    );
  });
});

describe('transition table and reducer', () => {
  const actions = fc.array(fc.constantFrom('OPEN', 'EDIT', 'CLOSE', 'REOPEN'), { maxLength: 20 });

  it('accepts exactly the sequences the table allows, and the fold ends in a status of the table', () => {
    fc.assert(
      fc.property(actions, (types) => {
        let status = noRecord;
        const accepted: ActionFacts[] = [];
        for (const [i, type] of types.entries()) {
          try {
            assertAllowed(noteRecord, status, type);
          } catch (error) {
            expect((error as AppError).code).toBe('action_not_allowed');
            expect((error as AppError).details.allowed).toEqual([...(noteRecord.transitions[status] ?? [])]);
            continue;
          }
          const action = {
            recordId: 'r',
            recordSeq: accepted.length + 1,
            type,
            actor: 'a',
            officeId: null,
            at: new Date(0),
            reason: null,
            payload: { text: `t${i}` },
            prevHash: '',
            hash: '',
          };
          accepted.push(action);
          status = noteRecord.status(fold(noteRecord, accepted)!);
        }
        expect(Object.keys(noteRecord.transitions)).toContain(status);
      }),
    );
  });

  it('names what is allowed when refusing', () => {
    expect(() => assertAllowed(noteRecord, 'CLOSED', 'EDIT')).toThrow(AppError);
  });
});
