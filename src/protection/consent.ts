import { Type, type Static } from 'typebox';
import { Instant } from '../core/dates.ts';

/**
 * Consent, per purpose (sharing with an agency, tracing, data use), recorded with who gave it.
 * Checked before every referral to an agency and every tracing match; a withdrawn consent stops
 * sharing at once, because every check reads the current list.
 */
export const Consent = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  purpose: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }),
  /** For sharing: the agency it allows (null: none named, which allows no agency). */
  agency: Type.Union([Type.String({ maxLength: 40 }), Type.Null()]),
  givenBy: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), relation: Type.String({ minLength: 1, maxLength: 40 }) }),
  /** Who recorded it ("user:<id>") and when. */
  recordedBy: Type.String({ maxLength: 100 }),
  at: Instant,
  withdrawnAt: Type.Union([Instant, Type.Null()]),
  withdrawnBy: Type.Union([Type.String({ maxLength: 100 }), Type.Null()]),
});
export type Consent = Static<typeof Consent>;

/** The consent in force for the purpose (and, for sharing, the agency), if any. */
export function activeConsent(consents: readonly Consent[], purpose: string, agency?: string): Consent | undefined {
  return consents.find((c) => c.purpose === purpose && c.withdrawnAt === null && (purpose !== 'sharing' || c.agency === agency));
}
