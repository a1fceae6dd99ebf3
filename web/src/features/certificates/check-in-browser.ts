import { type KeySet, keySetResolver, verifyQrText } from './codec.ts';
import { candidateTexts } from './payload.ts';
import type { CredentialFailure } from './types.ts';
import { furthest, type LocalCheck } from './verdict.ts';

/** A codec refusal, known by its reason (the class itself may come from another copy of the module). */
function failureOf(error: unknown): CredentialFailure | undefined {
  const reason = error && typeof error === 'object' ? (error as { reason?: unknown }).reason : undefined;
  return typeof reason === 'string' ? (reason as CredentialFailure) : undefined;
}

/**
 * The signature check on this device: the same procedure the server and the command line run
 * (src/certificates/codec), against the registry's published keys. Each reading of the text is
 * tried (see payload.ts); the first that verifies wins, else the failure that got furthest.
 */
export async function checkInBrowser(text: string, keySet: KeySet | null, at: Date = new Date()): Promise<LocalCheck> {
  const readings = candidateTexts(text);
  if (!keySet) return { kind: 'no_keys', text };
  let keys: ReturnType<typeof keySetResolver>;
  try {
    keys = keySetResolver(keySet);
  } catch {
    // A kept key set this codec cannot read is no key set at all.
    return { kind: 'no_keys', text };
  }
  const failures: { text: string; reason: CredentialFailure }[] = [];
  for (const reading of readings) {
    try {
      const credential = await verifyQrText(reading, { keys, at });
      return { kind: 'verified', text: reading, birth: credential.birth ?? null, keyId: credential.kid, issuedAt: credential.issuedAt ?? null };
    } catch (error) {
      const reason = failureOf(error);
      // Anything the codec did not name is a structure it could not read.
      failures.push({ text: reading, reason: reason ?? 'bad_cose' });
    }
  }
  const reason = furthest(failures.map((f) => f.reason)) ?? 'bad_cose';
  return { kind: 'failed', text: failures.find((f) => f.reason === reason)?.text ?? text, reason };
}
