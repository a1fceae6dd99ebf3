import net from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { openPglite } from '../../src/core/db/pglite.ts';
import { openPostgres } from '../../src/core/db/postgres.ts';
import type { Db } from '../../src/core/db/types.ts';
import { AppError } from '../../src/core/errors.ts';
import { createLogger } from '../../src/core/logger.ts';
import { buildApp } from '../../src/http/app.ts';
import { testConfig } from '../support/app.ts';
import { admin, openTestDb, serverUrl, type TestDb } from '../support/db.ts';
import { readTemplate } from '../support/template.ts';

/** A pino logger writing into a string, as production would write to stdout. */
function memoryLogger() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { logger: createLogger('debug', stream), text: () => text };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** A TCP relay to the test server that can be cut, as a server going down or a network failing would. */
async function relay(target: URL) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(target);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    async cut() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

const values = ['Ахметова', 'Gulnar.Akhmetova@example.kz', '+77011234567', '100514500018'];

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
  await db.exec('CREATE TABLE db_errors_probe (id int PRIMARY KEY, email text UNIQUE, born date NOT NULL)');
  await db.query("INSERT INTO db_errors_probe VALUES (1, $1, '2020-01-01')", [values[1]]);
});
afterAll(() => db.close());

describe('errors at the database interface', () => {
  it('keep the SQLSTATE, constraint, table and column, and no value reaches a log line', async () => {
    const { logger, text } = memoryLogger();
    const attempts = [
      () => db.query('SELECT $1::jsonb', [`{"surname":"${values[0]}\\u0000","phone":"${values[2]}"}`]),
      () => db.query('SELECT $1::uuid', [values[0]]),
      () => db.query('SELECT $1::date', [`${values[3]}-02-30`]),
      () => db.query('SELECT $1::int', [values[2]]),
      () => db.query("INSERT INTO db_errors_probe VALUES (2, $1, '2020-01-01')", [values[1]]),
      () => db.query('INSERT INTO db_errors_probe VALUES (3, $1, NULL)', [values[0]]),
      () => db.transaction((tx) => tx.query('INSERT INTO db_errors_probe VALUES (4, $1, $2)', [values[1], values[3]])),
      () => db.copyFrom('db_errors_probe', ['id', 'email', 'born'], [[5, values[1], '2020-01-01']]),
    ];
    const errors: AppError[] = [];
    for (const attempt of attempts) {
      const error = await failure(attempt());
      errors.push(error);
      logger.error({ err: error }, 'request failed');
    }
    const log = text();
    for (const value of values) expect(log).not.toContain(value);
    expect(log).not.toContain('Key (');
    expect(errors.map((e) => e.details.sqlState)).toEqual(['22P05', '22P02', '22008', '22003', '23505', '23502', '22008', '23505']);
    expect(errors[4]).toMatchObject({ code: 'internal', details: { constraint: 'db_errors_probe_email_key', table: 'db_errors_probe' } });
    expect(errors[5]!.details).toMatchObject({ table: 'db_errors_probe', column: 'born' });
    expect(errors[4]!.message).toMatch(/duplicate key value violates unique constraint/);
    expect(errors[4]!.cause).toBeUndefined();
  });

  it('let errors the caller threw inside a transaction pass unchanged', async () => {
    const mine = new Error('the use case refused');
    await expect(db.transaction(async () => Promise.reject(mine))).rejects.toBe(mine);
  });

  it('make a closed embedded database unavailable (503)', async () => {
    const closed = await openPglite({ loadDataDir: readTemplate() });
    const app = await buildApp({ db: closed, config: testConfig(), clock: fixedClock('2026-03-02T06:00:00Z'), logger: false });
    expect((await app.inject({ url: '/api/v1/places?q=алм' })).statusCode).toBe(200);
    await closed.close();
    expect(await failure(closed.query('SELECT 1'))).toMatchObject({ code: 'unavailable' });
    expect(await failure(closed.transaction((tx) => tx.query('SELECT 1')))).toMatchObject({ code: 'unavailable' });
    const response = await app.inject({ url: '/api/v1/places?q=алм' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'unavailable', type: 'urn:tirkeu:problem:unavailable' });
    await app.close();
  });

  it.runIf(serverUrl)('make an unreachable PostgreSQL server, a dropped connection and a pool timeout unavailable (503)', async () => {
    const link = await relay(new URL(db.url!));
    const remote: Db = await openPostgres(link.url, 2, { connectTimeoutMs: 300 });
    const app = await buildApp({ db: remote, config: testConfig(), clock: fixedClock('2026-03-02T06:00:00Z'), logger: false });
    expect((await app.inject({ url: '/api/v1/places?q=алм' })).statusCode).toBe(200);

    // A pool whose connections are all taken gives none within the timeout.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held = Promise.all([1, 2].map(() => remote.transaction(() => gate)));
    await new Promise((r) => setTimeout(r, 100));
    const waiting = await app.inject({ url: '/api/v1/places?q=алм' });
    expect(waiting.statusCode).toBe(503);
    release();
    await held;

    // The server goes away mid-transaction, then refuses connections.
    const inFlight = remote.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await link.cut();
      await tx.query('SELECT 2');
    });
    expect(await failure(inFlight)).toMatchObject({ code: 'unavailable' });
    const response = await app.inject({ url: '/api/v1/places?q=алм' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'unavailable' });
    await expect(openPostgres(link.url, 1, { connectTimeoutMs: 300 })).rejects.toMatchObject({ code: 'unavailable' });
    await app.close();
    await remote.close();
  });

  it.runIf(serverUrl)('make a database that refuses new connections (maintenance, a restore under way) unavailable (503), and serve again once it takes them', async () => {
    const name = new URL(db.url!).pathname.slice(1);
    const remote: Db = await openPostgres(db.url!, 2, { connectTimeoutMs: 1_000 });
    const app = await buildApp({ db: remote, config: testConfig(), clock: fixedClock('2026-03-02T06:00:00Z'), logger: false });
    try {
      expect((await app.inject({ url: '/api/v1/places?q=алм' })).statusCode).toBe(200);
      await admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
      for (const url of ['/api/v1/places?q=алм', '/api/v1/places?q=аст']) {
        const response = await app.inject({ url });
        expect(response.statusCode).toBe(503);
        expect(response.headers['retry-after']).toBeDefined();
        expect(response.json()).toMatchObject({ code: 'unavailable' });
      }
      expect(await failure(remote.transaction((tx) => tx.query('SELECT 1')))).toMatchObject({ code: 'unavailable' });
    } finally {
      await admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    }
    expect((await app.inject({ url: '/api/v1/places?q=алм' })).statusCode).toBe(200);
    await app.close();
    await remote.close();
  });
});
