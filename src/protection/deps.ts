import { loadRoles, type RoleCatalogue } from '../access/roles.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/types.ts';
import { loadLinkageSettings, type LinkageSettings } from '../linkage/settings.ts';
import { loadPack } from '../places/pack.ts';
import { loadProtectionSettings, type ProtectionSettings } from './settings.ts';

/** What the protection module's use cases need: the database, the clock and the pack's settings. */
export interface ProtectionDeps {
  db: Db;
  clock: Clock;
  settings: ProtectionSettings;
  /** The pack's time zone, for dates a person reads (a task due on a day). */
  timeZone: string;
  /** Tracing matches names and ages with record linkage's forms and thresholds. */
  linkage: LinkageSettings;
  /** The pack's roles: who may be given a case or sit on a panel is checked against them. */
  roles: RoleCatalogue;
}

export function protectionDepsFor(db: Db, clock: Clock, pack: string): ProtectionDeps {
  return { db, clock, settings: loadProtectionSettings(pack), timeZone: loadPack(pack).settings.timeZone, linkage: loadLinkageSettings(pack), roles: loadRoles(pack) };
}
