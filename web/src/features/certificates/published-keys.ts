import type { KeySet } from './codec.ts';
import { api } from '../../api/client.ts';

/**
 * The registry's published public keys (GET /certificates/keys), which the verification page checks
 * signatures against. The service worker keeps the last answer (network first); this device also
 * keeps it in localStorage, because the very first visit is answered before the service worker
 * controls the page. Public keys only: nothing personal is stored.
 */
const storageKey = 'tirkeu.certificateKeys';

/** A key set as published, or null for anything else (a damaged or foreign stored value is not trusted to have the right shape). */
export function parseKeySet(value: unknown): KeySet | null {
  if (!value || typeof value !== 'object') return null;
  const set = value as { issuer?: unknown; keys?: unknown };
  if (typeof set.issuer !== 'string' || !Array.isArray(set.keys)) return null;
  const wellFormed = set.keys.every((key: unknown) => {
    if (!key || typeof key !== 'object') return false;
    const k = key as Record<string, unknown>;
    return typeof k.kid === 'string' && typeof k.x === 'string' && typeof k.validFrom === 'string' && typeof k.validTo === 'string';
  });
  return wellFormed ? (value as KeySet) : null;
}

function stored(): KeySet | null {
  try {
    const text = localStorage.getItem(storageKey);
    return text ? parseKeySet(JSON.parse(text)) : null;
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
    const keySet = parseKeySet(await api<unknown>('GET', '/certificates/keys'));
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
