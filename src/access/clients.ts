import { timingSafeEqual } from 'node:crypto';
import type { Db, Queryable, Tx } from '../core/db/types.ts';
import { AppError, notFound } from '../core/errors.ts';
import { uuidv7 } from '../core/ids.ts';
import { audit, type RequestContext } from './audit.ts';
import type { Actor } from './policy.ts';
import { isScope, type Scope } from './scopes.ts';
import { hashToken, newToken } from './sessions.ts';
import { checkJurisdiction } from './users.ts';
import { isWithin, significantPrefix } from '../places/hierarchy.ts';
import { findFacility } from '../places/store.ts';

/** Bearer tokens are short-lived: a leaked one is useless within minutes. */
export const tokenLifetimeSeconds = 900;
/** After a rotation the previous secret keeps working this long, so the client can redeploy. */
export const rotationGraceMs = 24 * 3_600_000;

export interface ApiClient {
  id: string;
  name: string;
  scopes: Scope[];
  jurisdiction: string | null;
  facilityId: string | null;
  active: boolean;
  createdAt: Date;
}

const clientColumns = `id, name, scopes, jurisdiction, facility_id AS "facilityId", active, created_at AS "createdAt"`;

export interface NewClient {
  id: string;
  name: string;
  scopes: string[];
  jurisdiction: string | null;
  facilityId?: string | null;
}

/** Creates an API client and its first secret. The secret is returned once and stored only hashed. */
export async function createClient(tx: Tx, input: NewClient, ctx: RequestContext): Promise<{ client: ApiClient; secret: string }> {
  if (!/^[a-z0-9][a-z0-9._-]{2,63}$/.test(input.id)) {
    throw new AppError('validation_failed', 'a client id is 3–64 characters: lower-case letters, digits, dot, dash, underscore', { field: 'id' });
  }
  const unknown = input.scopes.filter((s) => !isScope(s));
  if (unknown.length || input.scopes.length === 0) {
    throw new AppError('validation_failed', unknown.length ? `unknown scopes: ${unknown.join(', ')}` : 'a client needs at least one scope', { field: 'scopes' });
  }
  checkJurisdiction(input.jurisdiction);
  if (input.facilityId != null) {
    const facility = await findFacility(tx, input.facilityId);
    if (!facility) throw new AppError('validation_failed', `no health facility ${input.facilityId}`, { field: 'facilityId', hint: 'see GET /api/v1/facilities' });
    if (input.jurisdiction !== null && !isWithin(input.jurisdiction, facility.kato)) {
      throw new AppError('validation_failed', `facility ${facility.id} lies outside the client's jurisdiction`, { field: 'facilityId' });
    }
  }
  const now = ctx.clock.now();
  const { rows } = await tx.query<ApiClient>(
    `INSERT INTO api_clients (id, name, scopes, jurisdiction, facility_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO NOTHING RETURNING ${clientColumns}`,
    [input.id, input.name, input.scopes, input.jurisdiction, input.facilityId ?? null, now],
  );
  if (!rows[0]) throw new AppError('conflict', `the client id ${input.id} is taken`, { field: 'id' });
  const secret = await addSecret(tx, input.id, now);
  return { client: rows[0], secret };
}

async function addSecret(tx: Tx, clientId: string, now: Date): Promise<string> {
  const secret = newToken();
  await tx.query('INSERT INTO api_client_secrets (id, client_id, secret_hash, created_at) VALUES ($1, $2, $3, $4)', [
    uuidv7(now.getTime()),
    clientId,
    hashToken(secret),
    now,
  ]);
  return secret;
}

/**
 * Issues a new secret; the older ones stay valid for the grace period, so the client can switch
 * over without a moment where no secret works.
 */
export async function rotateSecret(tx: Tx, clientId: string, ctx: RequestContext): Promise<string> {
  const now = ctx.clock.now();
  const { rowCount } = await tx.query('SELECT 1 FROM api_clients WHERE id = $1 AND active', [clientId]);
  if (rowCount === 0) throw notFound();
  await tx.query(
    'UPDATE api_client_secrets SET expires_at = $2 WHERE client_id = $1 AND (expires_at IS NULL OR expires_at > $2)',
    [clientId, new Date(now.getTime() + rotationGraceMs)],
  );
  return addSecret(tx, clientId, now);
}

/**
 * Stops a client at once (a leaked secret, a hospital system retired): its secrets and live bearer
 * tokens end now, with no grace period; its history stays.
 */
export async function deactivateClient(tx: Tx, clientId: string, ctx: RequestContext): Promise<ApiClient> {
  const now = ctx.clock.now();
  const { rows } = await tx.query<ApiClient>(`UPDATE api_clients SET active = false WHERE id = $1 RETURNING ${clientColumns}`, [clientId]);
  if (!rows[0]) throw notFound();
  await tx.query('UPDATE api_client_secrets SET expires_at = $2 WHERE client_id = $1 AND (expires_at IS NULL OR expires_at > $2)', [clientId, now]);
  await tx.query('UPDATE api_tokens SET expires_at = $2 WHERE client_id = $1 AND expires_at > $2', [clientId, now]);
  return rows[0];
}

/** Clients whose jurisdiction lies inside `within` (national clients excluded); null = every client. */
export async function listClients(db: Queryable, within: string | null = null): Promise<ApiClient[]> {
  const prefix = within === null ? null : significantPrefix(within);
  const { rows } = await db.query<ApiClient>(
    `SELECT ${clientColumns} FROM api_clients WHERE $1::text IS NULL OR left(jurisdiction, length($1)) = $1 ORDER BY id`,
    [prefix],
  );
  return rows;
}

/** A client by id; `lock` takes the row lock for the rest of the caller's transaction. */
export async function findClient(db: Queryable, id: string, options: { lock?: boolean } = {}): Promise<ApiClient | undefined> {
  const { rows } = await db.query<ApiClient>(`SELECT ${clientColumns} FROM api_clients WHERE id = $1${options.lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

const invalidClient = () =>
  new AppError('unauthenticated', 'unknown client or wrong secret', { field: 'client_secret', hint: 'check the client id and secret' });

/** The OAuth2 client-credentials exchange: a client id and secret for a short-lived bearer token. */
export async function issueToken(
  db: Db,
  input: { clientId: string; clientSecret: string },
  ctx: RequestContext,
): Promise<{ accessToken: string; expiresIn: number; scope: string }> {
  const now = ctx.clock.now();
  const { rows } = await db.query<{ id: string; scopes: Scope[]; secretHash: string }>(
    `SELECT c.id, c.scopes, s.secret_hash AS "secretHash"
     FROM api_clients c JOIN api_client_secrets s ON s.client_id = c.id
     WHERE c.id = $1 AND c.active AND (s.expires_at IS NULL OR s.expires_at > $2)`,
    [input.clientId, now],
  );
  const given = Buffer.from(hashToken(input.clientSecret), 'hex');
  const match = rows.find((r) => timingSafeEqual(Buffer.from(r.secretHash, 'hex'), given));
  if (!match) {
    await audit(db, ctx, { actor: { kind: 'anonymous', id: input.clientId.slice(0, 64) }, event: 'token', outcome: 'failure', targetType: 'client' });
    throw invalidClient();
  }
  const accessToken = newToken();
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO api_tokens (token_hash, client_id, expires_at, created_at) VALUES ($1, $2, $3, $4)', [
      hashToken(accessToken),
      match.id,
      new Date(now.getTime() + tokenLifetimeSeconds * 1000),
      now,
    ]);
    await audit(tx, ctx, { actor: { kind: 'client', id: match.id }, event: 'token', outcome: 'success', targetType: 'client', targetId: match.id });
  });
  return { accessToken, expiresIn: tokenLifetimeSeconds, scope: match.scopes.join(' ') };
}

/** The client behind a bearer token, if the token is live and the client active. */
export async function findTokenActor(db: Queryable, token: string, now: Date): Promise<Actor | undefined> {
  const { rows } = await db.query<ApiClient>(
    `SELECT c.id, c.name, c.scopes, c.jurisdiction, c.facility_id AS "facilityId", c.active, c.created_at AS "createdAt"
     FROM api_tokens t JOIN api_clients c ON c.id = t.client_id WHERE t.token_hash = $1 AND t.expires_at > $2 AND c.active`,
    [hashToken(token), now],
  );
  const client = rows[0];
  if (!client) return undefined;
  return { kind: 'client', id: client.id, scopes: new Set(client.scopes), jurisdiction: client.jurisdiction, facilityId: client.facilityId };
}
