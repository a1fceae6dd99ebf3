import { generateKeyPairSync, sign } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpointSignatureCheck, checkpointSigner, currentSigner, generateSigningKey, publishedKeySet } from '../../src/certificates/keys.ts';
import { type CheckpointSigner, listCheckpoints, sealCheckpoints, sealCheckpointsWithin } from '../../src/core/action-log/checkpoint.ts';
import { actionHash, checkpointHash, merkleRoot } from '../../src/core/action-log/hashing.ts';
import { appendAction, createRecord, listActions } from '../../src/core/action-log/record-store.ts';
import { type VerifyOptions, verifyLog } from '../../src/core/action-log/verify.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { noteRecord } from '../support/note-record.ts';

let db: TestDb;
const clock = fixedClock('2026-02-01T00:00:00Z');
const passphrase = 'checkpoint signing test passphrase';
let signer: CheckpointSigner;
let ids: string[];

const note = async (text: string) =>
  (await db.transaction((tx) => createRecord(tx, noteRecord, { type: 'OPEN', actor: 'a', payload: { text } }, { clock }))).record.id;

/** verify-log as the CLI runs it: signatures checked against the database's key set. */
const verify = async (options: VerifyOptions = {}) => verifyLog(db, { checkpointSignatures: checkpointSignatureCheck(await publishedKeySet(db)), ...options });

/** Runs SQL on the checkpoints with the append-only triggers switched off, as someone with database access could. */
async function behindTheBack(sql: string, params: unknown[] = []): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.exec('ALTER TABLE log_checkpoints DISABLE TRIGGER USER; ALTER TABLE record_actions DISABLE TRIGGER USER');
    await tx.query(sql, params);
    await tx.exec('ALTER TABLE log_checkpoints ENABLE TRIGGER USER; ALTER TABLE record_actions ENABLE TRIGGER USER');
  });
}

/**
 * A log sealed first without a key (checkpoint 1, as before keys existed), then with one
 * (checkpoints 2 and 3).
 */
beforeEach(async () => {
  db = await openTestDb();
  ids = [await note('before keys')];
  await sealCheckpoints(db, clock);
  await generateSigningKey(db, clock, { passphrase });
  signer = checkpointSigner(await currentSigner(db, clock, passphrase));
  for (const text of ['one', 'two']) {
    ids.push(await note(text));
    await db.transaction((tx) => appendAction(tx, noteRecord, ids.at(-1)!, { type: 'EDIT', actor: 'a', payload: { text: `${text}!` } }, { clock }));
    await sealCheckpoints(db, clock, signer);
  }
});
afterEach(() => db.close());

describe('signed checkpoints', () => {
  it('carry the key id and an Ed25519 signature of their hash, which verify-log checks; unsigned ones are counted', async () => {
    const checkpoints = await listCheckpoints(db, 0, 10);
    expect(checkpoints.map((c) => c.keyId)).toEqual([null, signer.keyId, signer.keyId]);
    expect(checkpoints[0]!.signature).toBeNull();
    expect(checkpoints[1]!.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    const report = await verify();
    expect(report.broken).toBeUndefined();
    expect(report).toMatchObject({ checkpoints: 3, signedCheckpoints: 2, unsignedCheckpoints: 1 });
    // The one sealed before there was a key is counted, not warned about.
    expect(report.warnings).toEqual([]);
    // Without a key set the signatures are counted as unchecked, and said so.
    const unchecked = await verifyLog(db);
    expect(unchecked.broken).toBeUndefined();
    expect(unchecked.signedCheckpoints).toBe(0);
    expect(unchecked.warnings).toContain('2 checkpoint signatures were not checked: no key set was given');
  });

  it('are signed inside a bulk writer’s transaction too', async () => {
    ids.push(await note('three'));
    const sealed = await db.transaction((tx) => sealCheckpointsWithin(tx, clock, signer));
    expect(sealed).toHaveLength(1);
    expect(sealed[0]).toMatchObject({ keyId: signer.keyId });
    expect((await verify()).signedCheckpoints).toBe(3);
  });

  it('catch a forger who rewrites an action, the Merkle root and the checkpoint chain consistently but cannot re-sign', async () => {
    const [checkpoint] = await listCheckpoints(db, 2, 1);
    // The forger edits the last action's payload and every hash that depends on it, but cannot re-sign.
    const last = (await listActions(db, ids[2]!)).at(-1)!;
    await behindTheBack(`UPDATE record_actions SET payload = '{"text":"forged"}' WHERE seq = $1`, [last.seq]);
    const action = (await listActions(db, ids[2]!)).at(-1)!;
    const hash = actionHash(action);
    await behindTheBack('UPDATE record_actions SET hash = $2 WHERE seq = $1', [action.seq, hash]);
    await db.query('UPDATE records SET head_hash = $2, data = $3 WHERE id = $1', [action.recordId, hash, JSON.stringify({ status: 'OPEN', jurisdiction: '750000000', text: 'forged', edits: 1 })]);
    const { rows: hashes } = await db.query<{ hash: string }>('SELECT hash FROM record_actions WHERE seq > $1 AND seq <= $2 ORDER BY seq', [checkpoint!.fromSeq, checkpoint!.toSeq]);
    const body = { id: checkpoint!.id, fromSeq: checkpoint!.fromSeq, toSeq: checkpoint!.toSeq, actionCount: hashes.length, merkleRoot: merkleRoot(hashes.map((h) => h.hash)), prevHash: checkpoint!.prevHash };
    await behindTheBack('UPDATE log_checkpoints SET merkle_root = $2, hash = $3 WHERE id = $1', [checkpoint!.id, body.merkleRoot, checkpointHash(body)]);

    expect((await verify()).broken).toMatchObject({ kind: 'checkpoint_signature', checkpointId: 3, message: expect.stringContaining(`does not verify with key ${signer.keyId}`) });
    // Without the key set the same forgery passes: the signature is what catches it.
    expect((await verifyLog(db)).broken).toBeUndefined();
  });

  it('catch a signature made with a key the key set does not hold, and a forged signature under a real key id', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const [checkpoint] = await listCheckpoints(db, 1, 1);
    const foreign = sign(null, Buffer.from(checkpoint!.hash), privateKey).toString('base64url');
    await behindTheBack("UPDATE log_checkpoints SET signature = $2, key_id = 'abcdefabcdefabcd' WHERE id = $1", [checkpoint!.id, foreign]);
    expect((await verify()).broken).toMatchObject({ kind: 'checkpoint_signature', checkpointId: 2, message: expect.stringContaining('abcdefabcdefabcd, which the key set does not hold') });
    await behindTheBack('UPDATE log_checkpoints SET key_id = $2 WHERE id = $1', [checkpoint!.id, signer.keyId]);
    expect((await verify()).broken).toMatchObject({ kind: 'checkpoint_signature', checkpointId: 2 });
    await behindTheBack('UPDATE log_checkpoints SET signature = NULL WHERE id = $1', [checkpoint!.id]);
    expect((await verify()).broken).toMatchObject({ kind: 'checkpoint_signature', message: expect.stringContaining('half a signature') });
  });

  it('once signed, an unsigned checkpoint is a warning, or broken when signatures are required', async () => {
    ids.push(await note('sealed by a process without the passphrase'));
    await sealCheckpoints(db, clock);
    const report = await verify();
    expect(report.broken).toBeUndefined();
    expect(report.unsignedCheckpoints).toBe(2);
    expect(report.warnings).toEqual([expect.stringMatching(/^1 checkpoint after the first signed one is not signed .*--require-signed refuses them$/)]);
    expect((await verify({ requireSignatures: true })).broken).toMatchObject({ kind: 'checkpoint_signature', checkpointId: 4 });
    // The unsigned checkpoint before the first signed one is no reason to fail.
    await behindTheBack('DELETE FROM log_checkpoints WHERE id = 4');
    expect((await verify({ requireSignatures: true })).broken).toBeUndefined();
  });
});
