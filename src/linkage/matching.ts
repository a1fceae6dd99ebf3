import type { Queryable } from '../core/db/types.ts';
import { subjectOf } from './names.ts';
import { type LinkageModel, modelFromSettings, type PairScore, scorePair } from './scoring.ts';
import type { LinkageSettings } from './settings.ts';
import { findCandidates } from './store.ts';
import type { LinkageInput, LinkageSubject } from './subject.ts';

/**
 * The records a birth may repeat: blocking finds the candidates, Fellegi–Sunter scores each with
 * the register's model, and those at or above the possible-match threshold come back, best first.
 */
export interface Suspect {
  recordId: string;
  status: string;
  jurisdiction: string;
  score: PairScore;
}

export async function suspectsOf(db: Queryable, input: LinkageInput, settings: LinkageSettings): Promise<Suspect[]> {
  const subject = subjectOf(input);
  const model = await currentModel(db, settings);
  const candidates = await findCandidates(db, subject, { windowDays: settings.blocking.dateWindowDays, limit: settings.blocking.maxCandidates });
  return candidates
    .map((c) => ({ recordId: c.subject.recordId, status: c.status, jurisdiction: c.jurisdiction, score: scorePair(c.subject, subject, model, settings) }))
    .filter((s) => s.score.band !== 'non_match')
    .sort((a, b) => b.score.score - a.score.score);
}

/** The field-by-field comparison of two stored subjects with the register's model (the review screen's). */
export async function comparePair(db: Queryable, a: LinkageSubject, b: LinkageSubject, settings: LinkageSettings): Promise<PairScore> {
  return scorePair(a, b, await currentModel(db, settings), settings);
}

/** The newest model estimated from the register (`tirkeu linkage estimate`), or the pack's starting values. */
export async function currentModel(db: Queryable, settings: LinkageSettings): Promise<LinkageModel> {
  const { rows } = await db.query<{ model: LinkageModel }>('SELECT model FROM linkage_models ORDER BY id DESC LIMIT 1');
  return rows[0]?.model ?? modelFromSettings(settings);
}

export async function saveModel(db: Queryable, model: LinkageModel, pairs: number, now: Date): Promise<void> {
  await db.query('INSERT INTO linkage_models (model, pairs, estimated_at) VALUES ($1, $2, $3)', [JSON.stringify(model), pairs, now]);
}
