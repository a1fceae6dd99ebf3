import fs from 'node:fs';
import { type KeySet, parseKeySet } from '../certificates/codec/key-set.ts';
import { AppError } from '../core/errors.ts';

/**
 * A published key set from a file or an http(s) URL (`tirkeu verify --keys`, `tirkeu verify-log
 * --keys`). Checking against a copy kept apart from the database means that whoever can write to
 * the database cannot slip a key of their own into it.
 */
export async function readKeySet(source: string): Promise<KeySet> {
  let json: unknown;
  if (/^https?:\/\//i.test(source)) {
    let response: Response;
    try {
      response = await fetch(source, { signal: AbortSignal.timeout(15_000), headers: { accept: 'application/json' } });
    } catch (error) {
      throw new AppError('unavailable', `could not fetch the key set from ${source}: ${error instanceof Error ? error.message : String(error)}`, {
        field: 'keys',
        hint: 'check the address and the network, or pass a saved copy of the key set as a file',
      });
    }
    if (!response.ok) {
      throw new AppError('unavailable', `the key set at ${source} answered ${response.status}`, {
        field: 'keys',
        hint: 'check the address: tirkeu publishes it at /.well-known/tirkeu-keys.json',
      });
    }
    json = await response.json().catch(() => {
      throw new AppError('validation_failed', `the key set at ${source} is not JSON`, { field: 'keys' });
    });
  } else {
    json = readJsonFile(source, 'keys');
  }
  try {
    return parseKeySet(json);
  } catch (error) {
    throw new AppError('validation_failed', error instanceof Error ? error.message : String(error), {
      field: 'keys',
      hint: 'give the JSON tirkeu publishes at /.well-known/tirkeu-keys.json',
    });
  }
}

export function readJsonFile(file: string, field: string): unknown {
  const text = readFile(file, field).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('validation_failed', `${file} is not JSON`, { field });
  }
}

export function readFile(file: string, field: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new AppError('not_found', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      field,
      hint: 'check the file name',
    });
  }
}
