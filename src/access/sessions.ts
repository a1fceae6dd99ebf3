import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../core/action-log/hashing.ts';
import type { Queryable, Tx } from '../core/db/types.ts';
import type { RequestContext } from './audit.ts';

/** Session lifetimes are policy: a registrar's desk is left unattended, a shift is not longer than this. */
export const sessionPolicy = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3_600_000,
  /** A half-finished sign-in (password accepted, second factor not yet given). */
  pendingMs: 10 * 60_000,
  /** last_seen_at is written at most this often, so reads do not turn into writes. */
  touchEveryMs: 60_000,
} as const;

export type SessionStage = 'pending_password' | 'pending_totp' | 'pending_enrolment' | 'active';

export interface Session {
  tokenHash: string;
  userId: string;
  stage: SessionStage;
  csrfHash: string;
  /** Given again to the page that holds the cookie (/auth/me) when it reloads; null for sessions from before 0013. */
  csrfToken: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface NewSession {
  /** The cookie value; only its hash is stored. */
  token: string;
  /** Sent back in the x-csrf-token header on every state-changing request. */
  csrfToken: string;
  session: Session;
}

export function hashToken(token: string): string {
  return sha256Hex(token);
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function createSession(tx: Tx, userId: string, stage: SessionStage, ctx: RequestContext): Promise<NewSession> {
  const token = newToken();
  const csrfToken = newToken();
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + (stage === 'active' ? sessionPolicy.absoluteMs : sessionPolicy.pendingMs));
  const session: Session = { tokenHash: hashToken(token), userId, stage, csrfHash: hashToken(csrfToken), csrfToken, createdAt: now, lastSeenAt: now, expiresAt };
  await tx.query(
    `INSERT INTO sessions (token_hash, user_id, stage, csrf_hash, csrf_token, created_at, last_seen_at, expires_at, client_address)
     VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8)`,
    [session.tokenHash, userId, stage, session.csrfHash, csrfToken, now, expiresAt, ctx.clientAddress],
  );
  return { token, csrfToken, session };
}

/** The live session for a cookie value: not revoked, not past its absolute end, not idle too long. */
export async function findSession(db: Queryable, token: string, now: Date): Promise<Session | undefined> {
  const { rows } = await db.query<Session>(
    `SELECT token_hash AS "tokenHash", user_id AS "userId", stage, csrf_hash AS "csrfHash", csrf_token AS "csrfToken", created_at AS "createdAt",
            last_seen_at AS "lastSeenAt", expires_at AS "expiresAt"
     FROM sessions WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2`,
    [hashToken(token), now],
  );
  const session = rows[0];
  if (!session) return undefined;
  if (session.stage === 'active' && now.getTime() - session.lastSeenAt.getTime() > sessionPolicy.idleMs) return undefined;
  return session;
}

export async function touchSession(db: Queryable, session: Session, now: Date): Promise<void> {
  if (now.getTime() - session.lastSeenAt.getTime() < sessionPolicy.touchEveryMs) return;
  await db.query('UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1', [session.tokenHash, now]);
}

/**
 * Moves a sign-in on (a code given, a password changed); reaching 'active' starts the full session
 * lifetime. The session gets a new cookie value each time: a cookie planted in a victim's browser
 * before the step (session fixation) is worth nothing after it. Returns the new cookie value.
 */
export async function advanceSession(tx: Tx, session: Session, stage: SessionStage, now: Date): Promise<string> {
  const expiresAt = stage === 'active' ? new Date(now.getTime() + sessionPolicy.absoluteMs) : session.expiresAt;
  const token = newToken();
  await tx.query('UPDATE sessions SET token_hash = $5, stage = $2, expires_at = $3, last_seen_at = $4 WHERE token_hash = $1', [
    session.tokenHash,
    stage,
    expiresAt,
    now,
    hashToken(token),
  ]);
  return token;
}

export async function revokeSession(db: Queryable, tokenHash: string, now: Date): Promise<void> {
  await db.query('UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL', [tokenHash, now]);
}

/** Ends every session of a user, or every one but `keep` (the session that made the change). */
export async function revokeUserSessions(db: Queryable, userId: string, now: Date, keep?: string): Promise<number> {
  const { rowCount } = await db.query('UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND token_hash IS DISTINCT FROM $3', [
    userId,
    now,
    keep ?? null,
  ]);
  return rowCount;
}

/**
 * Counts one second-factor code given in a half-finished sign-in, atomically; the answer is its
 * number, or undefined when the sign-in has already ended.
 */
export async function countCodeAttempt(db: Queryable, session: Session): Promise<number | undefined> {
  const { rows } = await db.query<{ attempts: number }>(
    'UPDATE sessions SET code_attempts = code_attempts + 1 WHERE token_hash = $1 AND revoked_at IS NULL RETURNING code_attempts AS attempts',
    [session.tokenHash],
  );
  return rows[0]?.attempts;
}
