import type { Db, Tx } from '../core/db/types.ts';
import { AppError } from '../core/errors.ts';
import { audit, type AuditEvent, type RequestContext } from './audit.ts';
import { verifyPassword, verifyPasswordDummy } from './passwords.ts';
import { hashRecoveryCode, matchRecoveryCode, newRecoveryCodes } from './recovery-codes.ts';
import { needsSecondFactor, type RoleCatalogue } from './roles.ts';
import { openSecret, sealSecret } from './secret-box.ts';
import { advanceSession, countCodeAttempt, createSession, type NewSession, revokeUserSessions, type Session, type SessionStage } from './sessions.ts';
import { addressBlockedUntil, beginAttempt, clearAttempts, recordAddressFailure } from './throttle-store.ts';
import { addressKey, maxCodeFailuresPerSignIn, retryAfterSeconds, secondFactorKey, usernameKey } from './throttle.ts';
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

/**
 * Proof that the person at the keyboard is the account holder, asked before changing how the
 * account signs in (password, second factor, recovery codes): the current password and, once a
 * second factor is enrolled, a current code (or a recovery code), both in the same request.
 * A session cookie alone proves nothing of the kind.
 */
export interface StepUp {
  currentPassword?: string;
  code?: string;
}

/** The same answer for a wrong username and a wrong password, so neither can be probed. */
const badCredentials = () =>
  new AppError('unauthenticated', 'wrong username or password', { field: 'password', hint: 'check both and try again' });

/** Unknown usernames are locked after as many failures as known ones, so this answer tells nothing either. */
const tooManyFailures = (until: Date, now: Date, code: 'unauthenticated' | 'forbidden' = 'unauthenticated') =>
  new AppError(code, 'too many failed sign-ins: wait before trying again', {
    retryAfterSeconds: retryAfterSeconds(until, now),
    hint: 'wait, or ask an administrator to reset your password',
  });

const codeHint = 'enter the 6-digit code your authenticator app shows now, or one of your recovery codes';

const codeRefused = (reason: string) => (reason === 'replayed' ? 'this code was already used: wait for the next one' : 'wrong code');

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

interface Failure {
  event: 'sign_in' | 'step_up' | 'totp_enrolment';
  outcome: 'failure' | 'denied';
  actor: AuditEvent['actor'];
  reason: string;
  /** This failure's attempt set a lock on its key. */
  locked?: boolean;
  /** A half-finished sign-in that this failure ends. */
  endSession?: Session;
}

/** A failed step: counted against the client address (no success resets that), audited, maybe a lockout. */
async function recordFailure(deps: AccessDeps, ctx: RequestContext, f: Failure): Promise<void> {
  const now = ctx.clock.now();
  const target = { targetType: 'user', targetId: f.actor.id ?? undefined };
  await deps.db.transaction(async (tx) => {
    if (ctx.clientAddress) await recordAddressFailure(tx, addressKey(ctx.clientAddress), now);
    await audit(tx, ctx, { actor: f.actor, event: f.event, outcome: f.outcome, ...target, details: { reason: f.reason } });
    if (f.locked) await audit(tx, ctx, { actor: f.actor, event: 'lockout', outcome: 'denied', ...target, details: { reason: f.reason } });
    if (f.endSession) await tx.query('UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL', [f.endSession.tokenHash, now]);
  });
}

/** Step one: username and password. Returns a session at the stage the user must complete next. */
export async function signIn(deps: AccessDeps, input: { username: string; password: string }, ctx: RequestContext): Promise<NewSession> {
  const now = ctx.clock.now();
  if (ctx.clientAddress) {
    const until = await addressBlockedUntil(deps.db, addressKey(ctx.clientAddress), now);
    if (until) {
      await audit(deps.db, ctx, { actor: { kind: 'anonymous', id: null }, event: 'sign_in', outcome: 'denied', details: { reason: 'address_locked' } });
      throw tooManyFailures(until, now);
    }
  }
  const user = await findUserByUsername(deps.db, input.username);
  const actor = { kind: 'anonymous' as const, id: user?.id ?? null };
  // Counted per name whether or not the user exists: an unknown name locks exactly as a known one.
  const key = usernameKey(input.username);
  const attempt = await beginAttempt(deps.db, key, now);
  if (!attempt.allowed) {
    await recordFailure(deps, ctx, { event: 'sign_in', outcome: 'denied', actor, reason: 'user_locked' });
    throw tooManyFailures(attempt.lockedUntil, now);
  }
  // An unknown name costs the time of a real check, so timing does not tell which names exist.
  const matches = user ? await verifyPassword(input.password, user.passwordHash) : (await verifyPasswordDummy(), false);
  if (!user || !matches || !user.active) {
    const reason = !user ? 'unknown_user' : !matches ? 'wrong_password' : 'deactivated';
    await recordFailure(deps, ctx, { event: 'sign_in', outcome: 'failure', actor, reason, locked: attempt.locks });
    throw badCredentials();
  }
  return deps.db.transaction(async (tx) => {
    await clearAttempts(tx, key);
    const stage = nextStage(user, deps.roles, deps.demoMode);
    const created = await createSession(tx, user.id, stage, ctx);
    await audit(tx, ctx, { actor, event: 'sign_in', outcome: 'success', targetType: 'user', targetId: user.id, details: { stage } });
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

const actorOf = (session: Session) => ({ kind: session.stage === 'active' ? ('user' as const) : ('anonymous' as const), id: session.userId });

/** An accepted code, to be spent inside the transaction that acts on it: false if a parallel request spent it first. */
interface CodeClaim {
  method: 'totp' | 'recovery_code';
  claim(tx: Tx): Promise<boolean>;
}

type CodeCheck = ({ ok: true } & CodeClaim) | { ok: false; reason: 'malformed' | 'wrong' | 'replayed' | 'locked'; lockedUntil?: Date; locks?: boolean };

/** A TOTP code or a recovery code, counted against the user's second factor before it is checked. */
async function checkSecondFactor(deps: AccessDeps, user: UserCredentials, code: string, now: Date): Promise<CodeCheck> {
  const key = secondFactorKey(user.id);
  const attempt = await beginAttempt(deps.db, key, now);
  if (!attempt.allowed) return { ok: false, reason: 'locked', lockedUntil: attempt.lockedUntil };
  const result = await checkTotp(openSecret(user.totpSecret!, deps.secretKey), code, { now, lastUsedStep: user.totpLastStep });
  if (result.ok) {
    return {
      ok: true,
      method: 'totp',
      async claim(tx) {
        const { rowCount } = await tx.query(
          'UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)',
          [user.id, result.step],
        );
        if (rowCount) await clearAttempts(tx, key);
        return rowCount > 0;
      },
    };
  }
  if (result.reason === 'malformed') {
    const { rows } = await deps.db.query<{ codeHash: string }>(
      'SELECT code_hash AS "codeHash" FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL',
      [user.id],
    );
    const found = rows[matchRecoveryCode(code, rows.map((r) => r.codeHash))];
    if (found) {
      return {
        ok: true,
        method: 'recovery_code',
        async claim(tx) {
          const { rowCount } = await tx.query(
            'UPDATE user_recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL',
            [user.id, found.codeHash, now],
          );
          if (rowCount) await clearAttempts(tx, key);
          return rowCount > 0;
        },
      };
    }
  }
  return { ok: false, reason: result.reason, locks: attempt.locks };
}

/**
 * Step two for enrolled users: a TOTP code, or one of the recovery codes. A few wrong codes end the
 * sign-in. Returns the session's new cookie value (see advanceSession).
 */
export async function completeSecondFactor(deps: AccessDeps, session: Session, code: string, ctx: RequestContext): Promise<{ stage: 'active'; token: string }> {
  expectStage(session, 'pending_totp');
  const user = await sessionUser(deps, session);
  const now = ctx.clock.now();
  const actor = actorOf(session);
  const ended = () =>
    new AppError('unauthenticated', 'too many wrong codes: this sign-in has ended', { field: 'code', hint: 'sign in again with your password' });
  const attempt = await countCodeAttempt(deps.db, session);
  if (attempt === undefined) throw new AppError('unauthenticated', 'sign in first', { hint: 'POST /api/v1/auth/sign-in' });
  if (attempt > maxCodeFailuresPerSignIn) {
    await recordFailure(deps, ctx, { event: 'sign_in', outcome: 'denied', actor, reason: 'totp_sign_in_ended', endSession: session });
    throw ended();
  }
  const check = await checkSecondFactor(deps, user, code, now);
  if (check.ok) {
    const token = await deps.db.transaction(async (tx) => {
      if (!(await check.claim(tx))) return undefined;
      const next = await advanceSession(tx, session, 'active', now);
      await audit(tx, ctx, { actor, event: 'second_factor', outcome: 'success', targetType: 'user', targetId: user.id, details: { method: check.method } });
      return next;
    });
    if (token) return { stage: 'active', token };
  }
  const reason = check.ok ? 'replayed' : check.reason;
  const last = attempt >= maxCodeFailuresPerSignIn;
  await recordFailure(deps, ctx, {
    event: 'sign_in',
    outcome: reason === 'locked' ? 'denied' : 'failure',
    actor,
    reason: `totp_${reason}`,
    locked: !check.ok && check.locks,
    endSession: last ? session : undefined,
  });
  if (last) throw ended();
  if (!check.ok && check.lockedUntil) throw tooManyFailures(check.lockedUntil, now);
  throw new AppError('unauthenticated', codeRefused(reason), { field: 'code', hint: codeHint });
}

/** The current password, counted against the username like a sign-in. */
async function checkCurrentPassword(deps: AccessDeps, session: Session, user: UserCredentials, password: string | undefined, ctx: RequestContext): Promise<void> {
  if (password === undefined) {
    throw new AppError('validation_failed', 'give your current password to change how you sign in', {
      field: 'currentPassword',
      hint: 'send currentPassword (and, with a second factor, code) in the same request',
    });
  }
  const now = ctx.clock.now();
  const key = usernameKey(user.username);
  const attempt = await beginAttempt(deps.db, key, now);
  const actor = actorOf(session);
  if (!attempt.allowed) {
    await recordFailure(deps, ctx, { event: 'step_up', outcome: 'denied', actor, reason: 'user_locked' });
    throw tooManyFailures(attempt.lockedUntil, now, 'forbidden');
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    await recordFailure(deps, ctx, { event: 'step_up', outcome: 'failure', actor, reason: 'wrong_current_password', locked: attempt.locks });
    throw new AppError('validation_failed', 'the current password is wrong', { field: 'currentPassword', hint: 'type the password you sign in with' });
  }
  await clearAttempts(deps.db, key);
}

/** The step-up (see StepUp); returns the accepted code, to be spent in the caller's transaction. */
async function stepUp(deps: AccessDeps, session: Session, user: UserCredentials, proof: StepUp, ctx: RequestContext): Promise<CodeClaim | undefined> {
  await checkCurrentPassword(deps, session, user, proof.currentPassword, ctx);
  if (!user.totpEnabled) return undefined;
  if (!proof.code) {
    throw new AppError('validation_failed', 'give a current code from your authenticator app to change how you sign in', { field: 'code', hint: codeHint });
  }
  const now = ctx.clock.now();
  const check = await checkSecondFactor(deps, user, proof.code, now);
  if (check.ok) return check;
  const actor = actorOf(session);
  await recordFailure(deps, ctx, { event: 'step_up', outcome: check.lockedUntil ? 'denied' : 'failure', actor, reason: `totp_${check.reason}`, locked: check.locks });
  if (check.lockedUntil) throw tooManyFailures(check.lockedUntil, now, 'forbidden');
  throw new AppError('validation_failed', codeRefused(check.reason), { field: 'code', hint: codeHint });
}

async function spend(tx: Tx, code: CodeClaim | undefined): Promise<void> {
  if (code && !(await code.claim(tx))) throw new AppError('validation_failed', codeRefused('replayed'), { field: 'code', hint: codeHint });
}

async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.query('DELETE FROM user_recovery_codes WHERE user_id = $1', [userId]);
  for (const c of codes) await tx.query('INSERT INTO user_recovery_codes (user_id, code_hash) VALUES ($1, $2)', [userId, hashRecoveryCode(c)]);
  return codes;
}

/**
 * A first enrolment belongs to a sign-in of an account without a second factor. A half-finished
 * sign-in kept open while the owner enrolled elsewhere would otherwise replace the owner's second
 * factor with the password alone: it ends, and the next sign-in asks for the code.
 */
async function refuseStaleFirstEnrolment(deps: AccessDeps, session: Session, user: UserCredentials, ctx: RequestContext): Promise<void> {
  if (session.stage === 'active' || !user.totpEnabled) return;
  await recordFailure(deps, ctx, { event: 'totp_enrolment', outcome: 'denied', actor: actorOf(session), reason: 'already_enrolled', endSession: session });
  throw new AppError('conflict', 'a second factor was enrolled meanwhile: this sign-in has ended', { hint: 'sign in again and give your code' });
}

/**
 * Starts TOTP enrolment: a new secret, as a URI and a QR code, kept pending until confirmed; the
 * current second factor keeps working meanwhile. In a first sign-in (stage pending_enrolment) the
 * password was given minutes ago; an active session must step up.
 */
export async function beginEnrolment(deps: AccessDeps, session: Session, proof: StepUp, ctx: RequestContext): Promise<{ secret: string; uri: string; qrSvg: string }> {
  expectStage(session, 'pending_enrolment', 'active');
  const user = await sessionUser(deps, session);
  await refuseStaleFirstEnrolment(deps, session, user, ctx);
  const code = session.stage === 'active' ? await stepUp(deps, session, user, proof, ctx) : undefined;
  const secret = newTotpSecret();
  await deps.db.transaction(async (tx) => {
    await spend(tx, code);
    await tx.query('UPDATE users SET totp_pending_secret = $2, updated_at = $3 WHERE id = $1', [user.id, sealSecret(secret, deps.secretKey), ctx.clock.now()]);
    await audit(tx, ctx, { actor: actorOf(session), event: 'totp_enrolment_started', outcome: 'success', targetType: 'user', targetId: user.id });
  });
  const uri = totpUri({ secret, account: user.username, issuer: 'tirkeu' });
  return { secret, uri, qrSvg: await totpQrSvg(uri) };
}

/**
 * Confirms enrolment with a first code of the new secret; returns new recovery codes, shown this
 * once only, and the session's new cookie value when this completes a first sign-in.
 */
export async function confirmEnrolment(deps: AccessDeps, session: Session, code: string, ctx: RequestContext): Promise<{ recoveryCodes: string[]; token?: string }> {
  expectStage(session, 'pending_enrolment', 'active');
  const user = await sessionUser(deps, session);
  await refuseStaleFirstEnrolment(deps, session, user, ctx);
  const pending = user.totpPendingSecret;
  if (!pending) throw new AppError('conflict', 'start enrolment first', { hint: 'POST /api/v1/auth/totp/enrol' });
  const now = ctx.clock.now();
  const actor = actorOf(session);
  // Counted like sign-in codes: the answer carries recovery codes, so it must not be guessed.
  const key = secondFactorKey(user.id);
  const attempt = await beginAttempt(deps.db, key, now);
  if (!attempt.allowed) {
    await recordFailure(deps, ctx, { event: 'totp_enrolment', outcome: 'denied', actor, reason: 'code_locked' });
    throw tooManyFailures(attempt.lockedUntil, now, 'forbidden');
  }
  const result = await checkTotp(openSecret(pending, deps.secretKey), code, { now, lastUsedStep: null });
  if (!result.ok) {
    await recordFailure(deps, ctx, { event: 'totp_enrolment', outcome: 'failure', actor, reason: `code_${result.reason}`, locked: attempt.locks });
    throw new AppError('validation_failed', 'wrong code', { field: 'code', hint: 'check the time on your phone and enter the current code' });
  }
  return deps.db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enabled = true, totp_last_step = $2, updated_at = $3
       WHERE id = $1 AND totp_pending_secret = $4 AND ($5 OR NOT totp_enabled)`,
      [user.id, result.step, now, pending, session.stage === 'active'],
    );
    if (!rowCount) throw new AppError('conflict', 'enrolment was started again meanwhile', { hint: 'scan the newest QR code and confirm with its code' });
    await clearAttempts(tx, key);
    const recoveryCodes = await replaceRecoveryCodes(tx, user.id);
    const token = session.stage !== 'active' ? await advanceSession(tx, session, 'active', now) : undefined;
    // A replaced second factor is a changed way of signing in: whoever held the old one is signed out.
    if (session.stage === 'active') await revokeUserSessions(tx, user.id, now, session.tokenHash);
    await audit(tx, ctx, { actor, event: 'totp_enrolment', outcome: 'success', targetType: 'user', targetId: user.id });
    return { recoveryCodes, token };
  });
}

/** New recovery codes (the old ones stop working); needs the step-up. */
export async function regenerateRecoveryCodes(deps: AccessDeps, session: Session, proof: StepUp, ctx: RequestContext): Promise<string[]> {
  expectStage(session, 'active');
  const user = await sessionUser(deps, session);
  if (!user.totpEnabled) {
    throw new AppError('conflict', 'recovery codes back a second factor: enrol one first', { hint: 'POST /api/v1/auth/totp/enrol' });
  }
  const code = await stepUp(deps, session, user, proof, ctx);
  return deps.db.transaction(async (tx) => {
    await spend(tx, code);
    const codes = await replaceRecoveryCodes(tx, user.id);
    await audit(tx, ctx, { actor: actorOf(session), event: 'recovery_codes_regenerated', outcome: 'success', targetType: 'user', targetId: user.id });
    return codes;
  });
}

/**
 * Changes the user's own password and ends their other sessions. An active session must step up;
 * the forced change after an administrator set the password (stage pending_password) needs only
 * the current password, given at sign-in minutes ago. Returns the session's new cookie value.
 */
export async function changeOwnPassword(
  deps: AccessDeps,
  session: Session,
  input: StepUp & { currentPassword: string; newPassword: string },
  ctx: RequestContext,
): Promise<{ stage: SessionStage; token: string }> {
  expectStage(session, 'pending_password', 'active');
  const user = await sessionUser(deps, session);
  if (input.currentPassword === input.newPassword) {
    throw new AppError('validation_failed', 'newPassword: choose a password different from the current one', { field: 'newPassword' });
  }
  let code: CodeClaim | undefined;
  if (session.stage === 'active') code = await stepUp(deps, session, user, input, ctx);
  else await checkCurrentPassword(deps, session, user, input.currentPassword, ctx);
  return deps.db.transaction(async (tx) => {
    await spend(tx, code);
    await setPassword(tx, user, input.newPassword, { mustChange: false, field: 'newPassword', keepSession: session.tokenHash }, ctx);
    const stage = session.stage === 'active' ? 'active' : nextStage({ ...user, passwordMustChange: false, demo: false }, deps.roles, deps.demoMode);
    const token = await advanceSession(tx, session, stage, ctx.clock.now());
    await audit(tx, ctx, { actor: actorOf(session), event: 'password_change', outcome: 'success', targetType: 'user', targetId: user.id });
    return { stage, token };
  });
}
