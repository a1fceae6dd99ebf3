import { localDate } from '../births/workflow.ts';

/**
 * A certificate's status (pure), from the history of its record: revoked (the certificate, or the
 * registration itself), superseded by a correction approved after it was issued, or valid. A
 * verifier learns the date only, never what the correction changed.
 */
export type CertificateStatus = { state: 'valid' } | { state: 'superseded' | 'revoked'; since: string };

export interface StatusHistoryAction {
  type: string;
  recordSeq: number;
  at: Date;
}

export function certificateStatus(
  certificate: { recordVersion: number; revokedAt: Date | null },
  history: readonly StatusHistoryAction[],
  timeZone: string,
): CertificateStatus {
  const day = (at: Date) => localDate(at, timeZone);
  const revocation = history.find((a) => a.type === 'REVOKE');
  const revokedAt = [certificate.revokedAt, revocation?.at].filter((d): d is Date => Boolean(d)).sort((a, b) => a.getTime() - b.getTime())[0];
  if (revokedAt) return { state: 'revoked', since: day(revokedAt) };
  const correction = history.find((a) => a.type === 'APPROVE_CORRECTION' && a.recordSeq > certificate.recordVersion);
  if (correction) return { state: 'superseded', since: day(correction.at) };
  return { state: 'valid' };
}
