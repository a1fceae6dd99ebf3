/**
 * THE CONTRACT for reading records with no connection: the records assigned to the signed-in person
 * are kept on the device (IndexedDB, owned by the offline feature) and the record page falls back to
 * them when the API cannot be reached. This first version keeps them in memory only.
 */
export interface CachedRecord {
  /** The birth as GET /births/:id answered it (BirthView). */
  record: { id: string; version: number } & Record<string, unknown>;
  /** Its history as GET /records/:id/actions answered it, if it was read. */
  history?: unknown;
  savedAt: string;
}

const memory = new Map<string, CachedRecord>();

export async function saveRecord(entry: CachedRecord): Promise<void> {
  memory.set(entry.record.id, entry);
}

export async function loadRecord(id: string): Promise<CachedRecord | undefined> {
  return memory.get(id);
}
