import type { Db } from '../../storage/db.js';
import { deactivateSlackInstallation as deactivateRow } from '../../storage/queries/slack-installations.js';
import { lookupKeys, type TSlackInstallQuery } from './slack-installation.js';

export interface DeactivateSlackInstallationOptions {
  db: Db;
  query: TSlackInstallQuery;
  now: Date;
  /**
   * When Slack says the uninstall happened (an event's `event_time`): an installation made after it
   * (a reinstall) is left active, so a late or repeated delivery changes nothing.
   */
  happenedAt?: Date;
}

/**
 * Marks the installation behind the query inactive (uninstall, bot token revoked); its row and the
 * workspace's data are kept, and a reinstall (`saveSlackInstallation`) makes it active again. Only
 * the most specific key is touched: a workspace's own install, else the org's when the query is
 * org-wide. Returns whether an installation was active and is not any more.
 */
export async function deactivateSlackInstallation(opts: DeactivateSlackInstallationOptions): Promise<boolean> {
  const [key] = lookupKeys(opts.query);
  if (!key) return false;
  return deactivateRow(opts.db, key, opts.now, opts.happenedAt);
}
