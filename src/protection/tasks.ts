import { audit, type RequestContext } from '../access/audit.ts';
import { type Actor, actorId, authorize } from '../access/policy.ts';
import { significantPrefix } from '../places/hierarchy.ts';
import { localDate } from '../core/dates.ts';
import type { ProtectionDeps } from './deps.ts';

/**
 * Open tasks of protection cases: for a worker, the tasks of the cases they own or work on; for a
 * supervisor, every open task of their jurisdiction's cases. Overdue: due before now (a time) or
 * before today where the registry is (a date). Answers from protection_case_tasks (migration 0019).
 */
export interface TaskListItem {
  caseId: string;
  taskId: string;
  kind: string;
  title: string;
  assignee: string;
  dueOn: string | null;
  dueAt: Date | null;
  overdue: boolean;
  risk: string;
  stage: string;
}

export async function listTasks(deps: ProtectionDeps, actor: Actor | undefined, query: { overdue?: boolean; limit: number }, ctx: RequestContext): Promise<TaskListItem[]> {
  authorize(actor, 'protection.case.read');
  const me = actorId(actor);
  const supervises = actor.kind === 'system' || (actor.kind === 'user' && actor.scopes.has('protection.case.supervise'));
  const within = actor.kind === 'user' && actor.jurisdiction ? significantPrefix(actor.jurisdiction) : '';
  const now = deps.clock.now();
  const today = localDate(now, deps.timeZone);
  const scope = supervises
    ? `t.jurisdiction LIKE $2::text || '%' AND $1::text IS NOT NULL`
    : `c.id IN (SELECT m.case_id FROM protection_case_members m WHERE m.actor = $1::text AND m.role IN ('owner', 'worker')) AND $2::text IS NOT NULL`;
  const { rows } = await deps.db.query<TaskListItem>(
    `SELECT t.case_id AS "caseId", t.task_id AS "taskId", t.kind, t.title, t.assignee, to_char(t.due_on, 'YYYY-MM-DD') AS "dueOn", t.due_at AS "dueAt",
            (t.due_at < $3::timestamptz OR t.due_on < $4::date) AS overdue, c.risk, c.stage
     FROM protection_case_tasks t JOIN protection_cases c ON c.id = t.case_id
     WHERE ${scope} AND (NOT $5::boolean OR t.due_at < $3 OR t.due_on < $4::date)
     ORDER BY t.due, t.case_id, t.task_id LIMIT $6`,
    [me, within, now, today, query.overdue === true, query.limit],
  );
  const items = rows.map((r) => ({ ...r, overdue: r.overdue === true }));
  await audit(deps.db, ctx, { actor, event: 'protection_tasks_listed', outcome: 'success', details: { count: items.length, overdue: query.overdue === true } });
  return items;
}
