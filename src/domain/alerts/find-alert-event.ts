import type { Db } from '../../storage/db.js';
import { latestAlertEvent } from '../../storage/queries/lookups.js';

/**
 * The latest event of one alert condition in the workspace, or null when it never fired there
 * (a snooze button naming it was not sent by us).
 */
export function findAlertEvent(opts: { db: Db; workspaceId: number; rule: string; conditionKey: string }): Promise<{ id: number; message: string | null } | null> {
  return latestAlertEvent(opts.db, opts.workspaceId, opts.rule, opts.conditionKey);
}
