import type { Queryable } from '../core/db/types.ts';
import { type CertificateDeps, findCertificate, issueCertificate, verifyLink } from './issuance.ts';

/**
 * One demo certificate, so a new office can try the verification page at once: issued for the
 * first registered demo birth, electronically, by the system. The other registered demo births
 * stay in the ready-to-print list. A second seed replays the first issuance (same key).
 */
export async function seedDemoCertificate(deps: CertificateDeps): Promise<{ serial: string; verifyLink: string } | undefined> {
  const db: Queryable = deps.births.db;
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM records WHERE type = 'birth' AND status = 'REGISTERED' AND data->'declaration'->'child'->>'surname' = 'Демо'
     ORDER BY created_at, id LIMIT 1`,
  );
  if (!rows[0]) return undefined;
  const { issuance } = await issueCertificate(deps, rows[0].id, { kind: 'birth_certificate', delivery: 'electronic' }, { actor: { kind: 'system', id: 'system' }, idempotencyKey: 'seed-demo-certificate' });
  const row = await findCertificate(db, issuance.serial);
  return { serial: issuance.serial, verifyLink: verifyLink(deps, row!.qrPayload) };
}
