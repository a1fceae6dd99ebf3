import type { Db, Queryable } from '../core/db/types.ts';
import { AppError } from '../core/errors.ts';
import { audit, type RequestContext } from './audit.ts';
import { verifyPassword, verifyPasswordDummy } from './passwords.ts';
import { newRecoveryCodes, hashRecoveryCode, matchRecoveryCode } from './recovery-codes.ts';
import { needsSecondFactor, type RoleCatalogue } from './roles.ts';
import { openSecret, sealSecret } from './secret-box.ts';
import { advanceSession, createSession, type NewSession, type Session, type SessionStage } from './sessions.ts';
import { isLocked, lockoutAfterFailure } from './throttle.ts';
import { checkTotp, newTotpSecret, totpQrSvg, totpUri } from './totp.ts';
import { findUserByUsername, findUserCredentials, setPassword, type UserCredentials } from './users.ts';

export interface AccessDeps {
  db: Db;
  roles: RoleCatalogue;
  /** Key that seals TOTP secrets at rest (TIRKEU_SECRET_KEY). */
  secretKey: Buffer;
  /** TIRKEU_DEMO: demo users may keep their documented passwords. */
  demoMode: boolean;
}

/** The same answer for a wrong username and a wrong password, so neither can be probed. */
const badCredentials = () =>
  new AppError('unauthenticated', 'wrong username or password', { field: 'password', hint: 'check both and try again' });

const locked = (until: Date) =>
  new AppError('unauthenticated', 'too many failed sign-ins: wait before trying again', {
    retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000)),
    hint: 'wait, or ask an administrator to reset your password',
  });

/** The stage a user reaches once the password is accepted. */
export function nextStage(
  user: Pick<UserCredentials, 'passwordMustChange' | 'totpEnabled' | 'roles' | 'demo'>,
  roles: RoleCatalogue,
  demoMode: boolean,
): SessionStage {
  // A documented demo password is public knowledge: outside demo mode it is as good as none.
  if (user.passwordMustChange || (user.demo && !demoMode)) return 'pending_password';
  if (user.totpEnabled) return 'pending_totp';
  if (needsSecondFactor(roles, user.roles)) return 'pending_enrolment';
  return 'active';
}

async function throttleState(db: Queryable, key: string): Promise<{ failures: number; lockedUntil: Date | null }> {
  const { rows } = await db.query<{ failures: number; lockedUntil: Date | null }>(
    'SELECT failures, locked_until AS "lockedUntil" FROM sign_in_throttle WHERE key = $1',
    [key],
  );
  return rows[0] ?? { failures: 0, lockedUntil: null };
}

async function recordFailure(deps: AccessDeps, ctx: RequestContext, user: UserCredentials | undefined, reason: string): Promise<void> {
  const now = ctx.clock.now();
  await deps.db.transaction(async (tx) => {
    if (ctx.clientAddress) {
      const key = `address:${ctx.clientAddress}`;
      const next = lockoutAfterFailure({ ...(await throttleState(tx, key)), now });
      await tx.query(
        `INSERT INTO sign_in_throttle (key, failures, locked_until, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET failures = $2, locked_until = $3, updated_at = $4`,
        [key, next.failures, next.lockedUntil, now],
      );
    }
    const actor = { kind: 'anonymous' as const, id: user?.id ?? null };
    await audit(tx, ctx, { actor, event: 'sign_in', outcome: 'failure', targetType: 'user', targetId: user?.id, details: { reason } });
    if (user) {
      const next = lockoutAfterFailure({ failures: user.failedSignIns, now });
      await tx.query('UPDATE users SET failed_sign_ins = $2, locked_until = $3 WHERE id = $1', [user.id, next.failures, next.lockedUntil]);
      if (next.lockedUntil) {
        await audit(tx, ctx, { actor, event: 'lockout', outcome: 'denied', targetType: 'user', targetId: user.id, details: { failures: next.failures } });
      }
    }
  });
}

/** Step one: username and password. Returns a session at the stage the user must complete next. */
export async function signIn(deps: AccessDeps, input: { username: string; password: string }, ctx: RequestContext): Promise<NewSession> {
  const now = ctx.clock.now();
  if (ctx.clientAddress) {
    const byAddress = await throttleState(deps.db, `address:${ctx.clientAddress}`);
    if (isLocked(byAddress, now)) {
      await audit(deps.db, ctx, { actor: { kind: 'anonymous', id: null }, event: 'sign_in', outcome: 'denied', details: { reason: 'address_locked' } });
      throw locked(byAddress.lockedUntil!);
    }
  }
  const user = await findUserByUsername(deps.db, input.username);
  if (!user) {
    await verifyPasswordDummy();
    await recordFailure(deps, ctx, undefined, 'unknown_user');
    throw badCredentials();
  }
  if (isLocked({ failures: user.failedSignIns, lockedUntil: user.lockedUntil }, now)) {
    await audit(deps.db, ctx, { actor: { kind: 'anonymous', id: user.id }, event: 'sign_in', outcome: 'denied', targetType: 'user', targetId: user.id, details: { reason: 'user_locked' } });
    throw locked(user.lockedUntil!);
  }
  if (!(await verifyPassword(input.password, user.passwordHash)) || !user.active) {
    await recordFailure(deps, ctx, user, user.active ? 'wrong_password' : 'deactivated');
    throw badCredentials();
  }
  return deps.db.transaction(async (tx) => {
    await tx.query('UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1', [user.id]);
    if (ctx.clientAddress) await tx.query('DELETE FROM sign_in_throttle WHERE key = $1', [`address:${ctx.clientAddress}`]);
    const stage = nextStage(user, deps.roles, deps.demoMode);
    const created = await createSession(tx, user.id, stage, ctx);
    await audit(tx, ctx, { actor: { kind: 'anonymous', id: user.id }, event: 'sign_in', outcome: 'success', targetType: 'user', targetId: user.id, details: { stage } });
    return created;
  });
}

async function sessionUser(deps: AccessDeps, session: Session): Promise<UserCredentials> {
  const user = await findUserCredentials(deps.db, session.userId);
  if (!user?.active) throw new AppError('unauthenticated', 'sign in first');
  return user;
}

function expectStage(session: Session, ...stages: SessionStage[]): void {
  if (!stages.includes(session.stage)) {
    throw new AppError('conflict', `this sign-in step does not apply now (current step: ${session.stage})`, { stage: session.stage });
  }
}

/** Step two for enrolled users: a TOTP code, or one of the recovery codes. */
export async function completeSecondFactor(deps: AccessDeps, session: Session, code: string, ctx: RequestContext): Promise<SessionStage> {
  expectStage(session, 'pending_totp');
  const user = await sessionUser(deps, session);
  const now = ctx.clock.now();
  const actor = { kind: 'anonymous' as const, id: user.id };
  const result = await checkTotp(openSecret(user.totpSecret!, deps.secretKey), code, { now, lastUsedStep: user.totpLastStep });
  if (result.ok) {
    return deps.db.transaction(async (tx) => {
      await tx.query('UPDATE users SET totp_last_step = $2 WHERE id = $1', [user.id, result.step]);
      await advanceSession(tx, session, 'active', now);
      await audit(tx, ctx, { actor, event: 'second_factor', outcome: 'success', targetType: 'user', targetId: user.id });
      return 'active' as const;
    });
  }
  const { rows } = await deps.db.query<{ codeHash: string }>(
    'SELECT code_hash AS "codeHash" FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL',
    [user.id],
  );
  const index = result.reason === 'malformed' ? matchRecoveryCode(code, rows.map((r) => r.codeHash)) : -1;
  if (index >= 0) {
    return deps.db.transaction(async (tx) => {
      await tx.query('UPDATE user_recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2', [user.id, rows[index]!.codeHash, now]);
      await advanceSession(tx, session, 'active', now);
      await audit(tx, ctx, { actor, event: 'second_factor', outcome: 'success', targetType: 'user', targetId: user.id, details: { method: 'recovery_code', remaining: rows.length - 1 } });
      return 'active' as const;
    });
  }
  await recordFailure(deps, ctx, user, `totp_${result.reason}`);
  throw new AppError('unauthenticated', result.reason === 'replayed' ? 'this code was already used: wait for the next one' : 'wrong code', {
    field: 'code',
    hint: 'enter the 6-digit code your authenticator app shows now, or a recovery code',
  });
}

/** Starts TOTP enrolment: a new secret (kept sealed until confirmed), as a URI and a QR code. */
export async function beginEnrolment(deps: AccessDeps, session: Session, ctx: RequestContext): Promise<{ secret: string; uri: string; qrSvg: string }> {
  expectStage(session, 'pending_enrolment', 'active');
  const user = await sessionUser(deps, session);
  const secret = newTotpSecret();
  await deps.db.query('UPDATE users SET totp_secret = $2, totp_enabled = false, updated_at = $3 WHERE id = $1', [
    user.id,
    sealSecret(secret, deps.secretKey),
    ctx.clock.now(),
  ]);
  const uri = totpUri({ secret, account: user.username, issuer: 'tirkeu' });
  return { secret, uri, qrSvg: await totpQrSvg(uri) };
}

/** Confirms enrolment with a first code; returns the recovery codes, shown this once only. */
export async function confirmEnrolment(deps: AccessDeps, session: Session, code: string, ctx: RequestContext): Promise<string[]> {
  expectStage(session, 'pending_enrolment', 'active');
  const user = await sessionUser(deps, session);
  if (!user.totpSecret || user.totpEnabled) throw new AppError('conflict', 'start enrolment first', { hint: 'POST /api/v1/auth/totp/enrol' });
  const now = ctx.clock.now();
  const result = await checkTotp(openSecret(user.totpSecret, deps.secretKey), code, { now, lastUsedStep: null });
  if (!result.ok) {
    await audit(deps.db, ctx, { actor: { kind: 'anonymous', id: user.id }, event: 'totp_enrolment', outcome: 'failure', targetType: 'user', targetId: user.id });
    throw new AppError('validation_failed', 'wrong code', { field: 'code', hint: 'check the time on your phone and enter the current code' });
  }
  const codes = newRecoveryCodes();
  await deps.db.transaction(async (tx) => {
    await tx.query('UPDATE users SET totp_enabled = true, totp_last_step = $2, updated_at = $3 WHERE id = $1', [user.id, result.step, now]);
    await tx.query('DELETE FROM user_recovery_codes WHERE user_id = $1', [user.id]);
    for (const c of codes) await tx.query('INSERT INTO user_recovery_codes (user_id, code_hash) VALUES ($1, $2)', [user.id, hashRecoveryCode(c)]);
    if (session.stage !== 'active') await advanceSession(tx, session, 'active', now);
    await audit(tx, ctx, { actor: { kind: 'anonymous', id: user.id }, event: 'totp_enrolment', outcome: 'success', targetType: 'user', targetId: user.id });
  });
  return codes;
}

/** Changes the user's own password (required after an administrator set it). */
export async function changeOwnPassword(
  deps: AccessDeps,
  session: Session,
  input: { currentPassword: string; newPassword: string },
  ctx: RequestContext,
): Promise<SessionStage> {
  expectStage(session, 'pending_password', 'active');
  const user = await sessionUser(deps, session);
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    await recordFailure(deps, ctx, user, 'wrong_current_password');
    throw new AppError('validation_failed', 'the current password is wrong', { field: 'currentPassword' });
  }
  if (input.currentPassword === input.newPassword) {
    throw new AppError('validation_failed', 'choose a password different from the current one', { field: 'newPassword' });
  }
  return deps.db.transaction(async (tx) => {
    await setPassword(tx, user, input.newPassword, { mustChange: false }, ctx);
    const stage = session.stage === 'active' ? 'active' : nextStage({ ...user, passwordMustChange: false, demo: false }, deps.roles, deps.demoMode);
    await advanceSession(tx, session, stage, ctx.clock.now());
    await audit(tx, ctx, { actor: { kind: 'anonymous', id: user.id }, event: 'password_change', outcome: 'success', targetType: 'user', targetId: user.id });
    return stage;
  });
}
