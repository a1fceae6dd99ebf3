import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/** TOTP (RFC 6238) second factor: 6 digits, 30-second steps, one step of clock drift either way. */
export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(options: { secret: string; account: string; issuer: string }): string {
  return generateURI({ issuer: options.issuer, label: options.account, secret: options.secret });
}

export function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', margin: 2 });
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'malformed' | 'wrong' | 'replayed' };

/**
 * Checks a code at `now`. A code is accepted once: the caller stores the returned step, and a code
 * of that step or an earlier one is refused as replayed (someone may have read it over a shoulder).
 */
export async function checkTotp(secret: string, code: string, options: { now: Date; lastUsedStep: number | null }): Promise<TotpCheck> {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return { ok: false, reason: 'malformed' };
  const result = await verify({ secret, token, epoch: Math.floor(options.now.getTime() / 1000), epochTolerance: 30 });
  // The functional verify answers for HOTP too; only a TOTP answer carries the time step.
  if (!result.valid || !('timeStep' in result)) return { ok: false, reason: 'wrong' };
  const step = result.timeStep as number;
  if (options.lastUsedStep !== null && step <= options.lastUsedStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}
