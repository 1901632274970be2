import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { ZRetentionDays } from '../config.js';
import { countWorkspaceData, purgeExpiredWorkspaces, purgeWorkspace, type TExpiredPurge, type TTableCount } from '../domain/workspaces/purge-workspace.js';
import { formatCount } from '../domain/money.js';
import { openDatabase } from '../storage/db.js';
import { migrateDatabase } from '../storage/migrate.js';
import { databaseUrlFrom, failureMessage, isEntryPoint, UsageError } from './cli-kit.js';

/**
 * `npm run purge -- --workspace TEAM_ID [--dry-run] [--yes]`
 * `npm run purge -- --expired [--dry-run] [--yes]`
 *
 * Deletes everything of one workspace (every table, its installation's sealed tokens, its CRM
 * connection with credentials and cursor), or of every workspace uninstalled longer ago than
 * UNINSTALLED_RETENTION_DAYS (default 90). Asks to type the workspace id (or `expired`) first;
 * `--yes` skips the question, and without a terminal it is required. Deletes in batches that each
 * commit: an interrupted purge is finished by running it again, and a second run deletes nothing.
 *
 * Exit codes: 0 purged (or dry run, or nothing to purge), 1 not confirmed or failed, 2 usage error.
 */

export const USAGE = 'usage: npm run purge -- --workspace TEAM_ID | --expired [--dry-run] [--yes]';

const HELP = `${USAGE}

Deletes data from the database of DATABASE_URL (default file:./data/kpi.db). Cannot be undone:
export first (npm run export).

  --workspace ID   everything of the workspace with Slack team id ID: every table, its Slack
                   installation (sealed tokens), its CRM connection (credentials, cursor, maps)
  --expired        every workspace whose installation was uninstalled more than
                   UNINSTALLED_RETENTION_DAYS days ago (default 90) and not reinstalled
  --dry-run        show what would be deleted, table by table; delete nothing
  --yes            do not ask (for scripts and cron); without a terminal it is required

Without --yes it shows the counts and asks you to type the workspace id (or "expired").`;

export interface PurgeCliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Whether a person can answer (stdin is a terminal). */
  isTTY: boolean;
  /** Asks a question on the terminal and returns the answer. */
  ask?: (question: string) => Promise<string>;
}


function table(io: PurgeCliIo, counts: readonly TTableCount[], verb: string): void {
  const shown = counts.filter((c) => c.rows > 0);
  if (shown.length === 0) {
    io.out(`  nothing ${verb}`);
    return;
  }
  const width = Math.max(...shown.map((c) => c.table.length));
  const nums = shown.map((c) => formatCount(c.rows));
  const numWidth = Math.max(...nums.map((n) => n.length));
  shown.forEach((c, i) => io.out(`  ${c.table.padEnd(width)}  ${nums[i]!.padStart(numWidth)}`));
  io.out(`  ${'total'.padEnd(width)}  ${formatCount(shown.reduce((s, c) => s + c.rows, 0)).padStart(numWidth)} rows ${verb}`);
}

/** Runs the purge command; returns the exit code. */
export async function runPurgeCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: PurgeCliIo, deps: { now?: () => Date } = {}): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        workspace: { type: 'string' },
        expired: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        yes: { type: 'boolean', short: 'y', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e));
    io.err(USAGE);
    return 2;
  }
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const teamId = values.workspace;
  const dryRun = values['dry-run'];
  let url: string;
  let retentionDays = 90;
  try {
    if (teamId !== undefined && values.expired) throw new UsageError('give --workspace or --expired, not both');
    if (teamId === undefined && !values.expired) throw new UsageError('give --workspace TEAM_ID or --expired');
    if (teamId !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(teamId)) throw new UsageError(`--workspace must be a Slack team id such as T0123ABCD, not "${teamId}"`);
    url = databaseUrlFrom(env);
    const days = ZRetentionDays.safeParse(env['UNINSTALLED_RETENTION_DAYS'] || undefined);
    if (!days.success) throw new UsageError(`UNINSTALLED_RETENTION_DAYS ${days.error.issues[0]?.message ?? 'must be a whole number of days such as 90'}`);
    retentionDays = days.data;
    // Checked before anything is read: a script that forgot --yes fails the same way every time.
    if (!dryRun && !values.yes && (!io.isTTY || !io.ask)) throw new UsageError('refusing to purge without confirmation: stdin is not a terminal, so pass --yes (or --dry-run to see the counts)');
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(e.message);
    io.err(USAGE);
    return 2;
  }

  const now = (deps.now ?? (() => new Date()))();
  const db = openDatabase(url);
  try {
    await migrateDatabase(db, (m) => io.err(m));
    if (teamId !== undefined) {
      const counts = await countWorkspaceData({ db, slackTeamId: teamId });
      const total = counts.reduce((s, c) => s + c.rows, 0);
      if (dryRun || total === 0) {
        io.out(total === 0 ? `Nothing stored for workspace ${teamId}; nothing to purge.` : `Dry run: purging workspace ${teamId} would delete:`);
        if (total > 0) table(io, counts, 'would be deleted');
        return 0;
      }
      if (!values.yes) {
        io.out(`Purging workspace ${teamId} deletes, for good:`);
        table(io, counts, 'to delete');
        const answer = (await io.ask!(`Type the workspace id (${teamId}) to delete all of it: `)).trim();
        if (answer !== teamId) {
          io.err('Not confirmed; nothing deleted.');
          return 1;
        }
      }
      const deleted = await purgeWorkspace({ db, slackTeamId: teamId });
      io.out(`Purged workspace ${teamId}:`);
      table(io, deleted, 'deleted');
      return 0;
    }

    const nothing = `No installation uninstalled more than ${retentionDays} days ago; nothing to purge.`;
    const describe = (d: TExpiredPurge): string => `${d.teamId ?? d.installKey} (uninstalled ${d.uninstalledAt.toISOString()})`;
    if (dryRun || !values.yes) {
      const due = await purgeExpiredWorkspaces({ db, now, retentionDays, dryRun: true });
      if (due.length === 0) {
        io.out(nothing);
        return 0;
      }
      io.out(`${dryRun ? 'Dry run: ' : ''}${formatCount(due.length)} installation${due.length === 1 ? '' : 's'} uninstalled more than ${retentionDays} days ago:`);
      for (const d of due) {
        io.out(`${describe(d)}:`);
        table(io, d.tables, dryRun ? 'would be deleted' : 'to delete');
      }
      if (dryRun) return 0;
      const answer = (await io.ask!('Type "expired" to delete all of them: ')).trim();
      if (answer !== 'expired') {
        io.err('Not confirmed; nothing deleted.');
        return 1;
      }
    }
    const purged = await purgeExpiredWorkspaces({ db, now, retentionDays });
    if (purged.length === 0) io.out(nothing);
    for (const d of purged) {
      io.out(`Purged ${describe(d)}:`);
      table(io, d.tables, 'deleted');
    }
    return 0;
  } catch (e) {
    io.err(failureMessage('purge', e));
    return 1;
  } finally {
    await db.close();
  }
}

if (isEntryPoint(import.meta.url)) {
  const isTTY = process.stdin.isTTY === true;
  const rl = isTTY ? createInterface({ input: process.stdin, output: process.stdout }) : null;
  try {
    process.exitCode = await runPurgeCli(process.argv.slice(2), process.env, {
      out: (l) => console.log(l),
      err: (l) => console.error(l),
      isTTY,
      ...(rl ? { ask: (question: string) => rl.question(question) } : {}),
    });
  } finally {
    rl?.close();
  }
}
