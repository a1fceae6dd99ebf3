import os from 'node:os';
import type { Command } from 'commander';
import { addClient, addUser, changeRoles, deactivate, deactivateApiClient, listAccounts, listApiClients, resetPassword, rotateClientSecret } from '../../access/administration.ts';
import { queryAudit, type RequestContext } from '../../access/audit.ts';
import { findClient } from '../../access/clients.ts';
import type { Actor } from '../../access/policy.ts';
import { temporaryPassword } from '../../access/recovery-codes.ts';
import { loadRoles } from '../../access/roles.ts';
import { findUserByUsername, type User } from '../../access/users.ts';
import { systemClock } from '../../core/clock.ts';
import type { Db } from '../../core/db/types.ts';
import { AppError } from '../../core/errors.ts';
import { withDb } from '../context.ts';

/**
 * The CLI acts as the system, on behalf of whoever runs it on the server; the audit names the OS
 * account. The system may grant every role: `tirkeu user add NAME --roles system_admin` is how the
 * first administrator is made. Client scopes stay limited to what the pack allows machines.
 */
const cli = (): { ctx: RequestContext; by: Actor } => ({
  ctx: { clock: systemClock, clientAddress: 'cli', requestId: null },
  by: { kind: 'system', id: `cli:${os.userInfo().username}` },
});

const list = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);

/** "national" (or nothing) means the whole country; otherwise a 9-digit KATO code. */
const jurisdictionOf = (value: string | undefined) => (!value || value === 'national' ? null : value);

async function userNamed(db: Db, username: string): Promise<User> {
  const user = await findUserByUsername(db, username);
  if (!user) throw new AppError('not_found', `no user ${username}`, { field: 'username', hint: 'see tirkeu user list' });
  return user;
}

function printUsers(users: User[]): void {
  for (const u of users) {
    process.stdout.write(
      `${u.username.padEnd(28)} ${(u.jurisdiction ?? 'national').padEnd(10)} ${u.roles.join(',').padEnd(40)} ${u.active ? '' : 'deactivated '}${u.totpEnabled ? 'totp' : ''}\n`,
    );
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function registerAccess(program: Command): void {
  const user = program.command('user').description('user accounts: add, list, deactivate, reset passwords, change roles');

  user
    .command('add')
    .description('create a user; prints a temporary password they must change at first sign-in')
    .argument('<username>', '3–64 characters: lower-case letters, digits, dot, dash, underscore')
    .requiredOption('--roles <roles>', 'comma-separated role ids (see: tirkeu user roles)')
    .option('--name <displayName>', 'the name shown in the app (defaults to the username)')
    .option('--jurisdiction <kato>', "9-digit KATO code the user's scopes apply within, or 'national'", 'national')
    .option('--office <id>', 'the registry office the user belongs to')
    .option('--password-stdin', 'read the first password from standard input instead of generating one')
    .action((username: string, o: { roles: string; name?: string; jurisdiction: string; office?: string; passwordStdin?: boolean }) =>
      withDb(
        async (db, config) => {
          const password = o.passwordStdin ? await readStdin() : temporaryPassword();
          const { ctx, by } = cli();
          const created = await addUser(
            db,
            loadRoles(config.pack),
            { username, displayName: o.name ?? username, jurisdiction: jurisdictionOf(o.jurisdiction), officeId: o.office ?? null, roles: list(o.roles), password },
            ctx,
            by,
          );
          printUsers([created]);
          if (!o.passwordStdin) process.stdout.write(`temporary password: ${password}\n(the user must change it at first sign-in)\n`);
        },
        { migrate: true },
      ),
    );

  user
    .command('list')
    .description('list user accounts')
    .option('--all', 'include deactivated accounts')
    .option('--json', 'print JSON')
    .action((o: { all?: boolean; json?: boolean }) =>
      withDb(async (db) => {
        const users: User[] = [];
        const { by } = cli();
        for (let after: string | undefined; ; ) {
          const page = await listAccounts(db, by, { after, limit: 500, active: o.all ? undefined : true });
          users.push(...page.items);
          if (page.next === null) break;
          after = page.next;
        }
        if (o.json) process.stdout.write(`${JSON.stringify(users, null, 2)}\n`);
        else printUsers(users);
      }),
    );

  user
    .command('deactivate')
    .description('deactivate a user: signs them out everywhere; their history stays')
    .argument('<username>')
    .action((username: string) =>
      withDb(async (db, config) => {
        const { ctx, by } = cli();
        printUsers([await deactivate(db, loadRoles(config.pack), (await userNamed(db, username)).id, ctx, by)]);
      }),
    );

  user
    .command('reset-password')
    .description('set a temporary password (printed) that must be changed at next sign-in; ends their sessions')
    .argument('<username>')
    .action((username: string) =>
      withDb(async (db, config) => {
        const { ctx, by } = cli();
        const password = temporaryPassword();
        await resetPassword(db, loadRoles(config.pack), (await userNamed(db, username)).id, password, ctx, by);
        process.stdout.write(`temporary password for ${username}: ${password}\n`);
      }),
    );

  user
    .command('roles')
    .description("without arguments, the pack's roles and their scopes; with a username, that user's roles; with roles too, replace them")
    .argument('[username]')
    .argument('[roles...]', 'role ids')
    .action((username: string | undefined, roleIds: string[]) =>
      withDb(async (db, config) => {
        const catalogue = loadRoles(config.pack);
        if (!username) {
          for (const role of catalogue.values()) {
            process.stdout.write(`${role.id.padEnd(22)} ${role.name.en} / ${role.name.kk} / ${role.name.ru}${role.sensitive ? '  [second factor required]' : ''}\n`);
            process.stdout.write(`${''.padEnd(22)} ${role.scopes.join(' ')}\n`);
            const grants = [...role.grants, ...role.nationalGrants.map((id) => `${id} (by a national holder)`)];
            if (grants.length) process.stdout.write(`${''.padEnd(22)} may grant: ${grants.join(', ')}\n`);
          }
          process.stdout.write(`API clients may hold: ${catalogue.clientScopes.join(' ')}\n`);
          return;
        }
        const target = await userNamed(db, username);
        const { ctx, by } = cli();
        printUsers([roleIds.length ? await changeRoles(db, catalogue, target.id, roleIds.flatMap(list), ctx, by) : target]);
      }),
    );

  const client = program.command('client').description('API clients (hospital and other systems): add, list, rotate secrets, deactivate');

  client
    .command('add')
    .description('register an API client; prints its secret once')
    .argument('<id>', 'client id, e.g. hospital-71-001')
    .requiredOption('--scopes <scopes>', 'comma-separated scopes the pack allows machines (see: tirkeu user roles), e.g. birth.notify')
    .option('--name <name>', 'a readable name')
    .option('--jurisdiction <kato>', "9-digit KATO code, or 'national'", 'national')
    .option('--facility <id>', 'the health facility this client may act for (see GET /api/v1/facilities)')
    .action((id: string, o: { scopes: string; name?: string; jurisdiction: string; facility?: string }) =>
      withDb(
        async (db, config) => {
          const { ctx, by } = cli();
          const created = await addClient(
            db,
            loadRoles(config.pack),
            { id, name: o.name ?? id, scopes: list(o.scopes), jurisdiction: jurisdictionOf(o.jurisdiction), facilityId: o.facility ?? null },
            ctx,
            by,
          );
          process.stdout.write(`client ${created.client.id} (${created.client.scopes.join(' ')})\nsecret: ${created.secret}\n(shown once; store it in the client system now)\n`);
        },
        { migrate: true },
      ),
    );

  client
    .command('list')
    .description('list API clients')
    .action(() =>
      withDb(async (db) => {
        for (const c of await listApiClients(db, cli().by)) {
          process.stdout.write(`${c.id.padEnd(24)} ${(c.jurisdiction ?? 'national').padEnd(10)} ${(c.facilityId ?? '-').padEnd(14)} ${c.scopes.join(' ')}${c.active ? '' : ' (inactive)'}\n`);
        }
      }),
    );

  client
    .command('rotate')
    .description('issue a new secret (printed once); older secrets keep working for 24 hours')
    .argument('<id>')
    .action((id: string) =>
      withDb(async (db) => {
        if (!(await findClient(db, id))) throw new AppError('not_found', `no client ${id}`, { field: 'id', hint: 'see tirkeu client list' });
        const { ctx, by } = cli();
        process.stdout.write(`new secret for ${id}: ${await rotateClientSecret(db, id, ctx, by)}\n`);
      }),
    );

  client
    .command('deactivate')
    .description('stop a client at once (a leaked secret): its secrets and bearer tokens end; history stays')
    .argument('<id>')
    .action((id: string) =>
      withDb(async (db) => {
        if (!(await findClient(db, id))) throw new AppError('not_found', `no client ${id}`, { field: 'id', hint: 'see tirkeu client list' });
        const { ctx, by } = cli();
        const stopped = await deactivateApiClient(db, id, ctx, by);
        process.stdout.write(`client ${stopped.id} deactivated: its secrets and tokens no longer work\n`);
      }),
    );

  program
    .command('audit')
    .description('the access audit, newest first: sign-ins, failures, lockouts, role changes, record reads')
    .option('--event <event>', 'only this event (sign_in, token, access_denied, record_read, user_created, roles_changed, …)')
    .option('--actor <id>', 'only this actor id')
    .option('--target <id>', 'only this target id (a user, client or record)')
    .option('--from <time>', 'from this ISO time')
    .option('--to <time>', 'before this ISO time')
    .option('--limit <n>', 'at most this many lines', '100')
    .option('--json', 'print JSON lines')
    .action((o: { event?: string; actor?: string; target?: string; from?: string; to?: string; limit: string; json?: boolean }) =>
      withDb(async (db) => {
        const time = (value: string | undefined, field: string) => {
          if (value === undefined) return undefined;
          const date = new Date(value);
          if (Number.isNaN(date.getTime())) throw new AppError('validation_failed', `${field} is not a time`, { field, hint: 'use ISO 8601, e.g. 2026-11-24T08:00:00Z' });
          return date;
        };
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new AppError('validation_failed', '--limit must be a positive whole number', { field: 'limit' });
        const lines = await queryAudit(db, { event: o.event, actorId: o.actor, targetId: o.target, from: time(o.from, 'from'), to: time(o.to, 'to'), limit });
        for (const l of lines) {
          if (o.json) process.stdout.write(`${JSON.stringify(l)}\n`);
          else {
            process.stdout.write(
              `${l.at.toISOString()} ${l.outcome.padEnd(7)} ${l.event.padEnd(22)} ${l.actorKind}:${l.actorId ?? '-'} ${l.targetType ? `${l.targetType}:${l.targetId}` : ''} ${l.clientAddress ?? ''} ${JSON.stringify(l.details)}\n`,
            );
          }
        }
      }),
    );
}
