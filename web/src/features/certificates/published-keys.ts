import { type KeySet, parseKeySet } from './codec.ts';
import { api } from '../../api/client.ts';

/**
 * The registry's published public keys (GET /certificates/keys), which the verification page checks
 * signatures against. The service worker keeps the last answer (network first); this device also
 * keeps it in localStorage, because the very first visit is answered before the service worker
 * controls the page. Public keys only: nothing personal is stored.
 */
const storageKey = 'tirkeu.certificateKeys';

/** A key set kept or fetched, or null when it is damaged or foreign (the codec checks every member a verifier relies on). */
export function keptKeySet(value: unknown): KeySet | null {
  try {
    return parseKeySet(value);
  } catch {
    return null;
  }
}

function stored(): KeySet | null {
  try {
    const text = localStorage.getItem(storageKey);
    return text ? keptKeySet(JSON.parse(text)) : null;
  } catch {
    return null;
  }
}

export interface LoadedKeys {
  keySet: KeySet | null;
  /** True when these are the keys kept on this device, the registry being out of reach. */
  kept: boolean;
}

/**
 * The key set, fresh when the registry answers, else the one this device kept; null when it never
 * had one (the page then leaves the judgement to the registry, when it can be asked).
 */
export async function loadPublishedKeys(): Promise<LoadedKeys> {
  try {
    const keySet = keptKeySet(await api<unknown>('GET', '/certificates/keys'));
    if (keySet) {
      try {
        localStorage.setItem(storageKey, JSON.stringify(keySet));
      } catch {
        // A full or disabled storage only means no copy for next time.
      }
      return { keySet, kept: false };
    }
  } catch {
    // Out of reach or refused: the kept copy, if any, is what this device can check with.
  }
  return { keySet: stored(), kept: true };
}
