import { createWriteStream, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportWorkspace, workspaceDataExists, type TCsvSink } from '../domain/workspaces/export-workspace.js';
import { formatCount } from '../domain/money.js';
import { openDatabase } from '../storage/db.js';
import { migrateDatabase } from '../storage/migrate.js';
import { databaseUrlFrom, failureMessage, isEntryPoint, UsageError } from './cli-kit.js';

/**
 * `npm run export -- --workspace TEAM_ID [--out DIR]`
 *
 * Writes everything the workspace owns in the database of DATABASE_URL as CSV files, one per
 * table, into DIR (default `./export-<TEAM_ID>-<YYYY-MM-DD>`, a new or empty folder): deals,
 * stage changes, subscription changes, refunds, quotas, lead counts, reps, teams, settings, digest
 * and alert settings, deliveries, the audit trail, the CRM connection (no credentials) and the
 * Slack installation (no tokens). Tables are read in pages, so memory stays flat.
 *
 * Exit codes: 0 exported, 1 no such workspace or failed, 2 usage error.
 */

export const USAGE = 'usage: npm run export -- --workspace TEAM_ID [--out DIR]';

const HELP = `${USAGE}

Writes the data of the workspace with Slack team id TEAM_ID (database of DATABASE_URL, default
file:./data/kpi.db) as CSV files, one per table (RFC 4180, UTF-8, CRLF), into DIR.

  --workspace ID   Slack team id of the workspace
  --out DIR        a new or empty folder (default ./export-TEAM_ID-YYYY-MM-DD, today in UTC)

Money is in integer minor units with its ISO 4217 currency, times in UTC (ISO 8601). Text cells
that start with = + - @ (or a tab or CR) are written with a leading ' so that a spreadsheet does
not run them as formulas. Tokens and CRM credentials are never written.`;

export interface ExportCliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}


/** A file opened for writing that waits for the disk when its buffer is full. */
function fileSink(path: string): TCsvSink {
  const stream = createWriteStream(path, { encoding: 'utf8', mode: 0o600 });
  return {
    write: (text) =>
      new Promise<void>((ok, fail) => {
        const onError = (e: Error): void => fail(e);
        stream.once('error', onError);
        if (stream.write(text)) {
          stream.off('error', onError);
          ok();
        } else
          stream.once('drain', () => {
            stream.off('error', onError);
            ok();
          });
      }),
    close: () => new Promise<void>((ok, fail) => stream.end((e?: Error | null) => (e ? fail(e) : ok()))),
  };
}

/** Runs the export command; returns the exit code. */
export async function runExportCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: ExportCliIo, deps: { now?: () => Date } = {}): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: [...argv], strict: true, options: { workspace: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } }).values;
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e));
    io.err(USAGE);
    return 2;
  }
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const teamId = values.workspace ?? '';
  let url: string;
  let dir: string;
  try {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(teamId)) throw new UsageError(teamId ? `--workspace must be a Slack team id such as T0123ABCD, not "${teamId}"` : '--workspace is required');
    url = databaseUrlFrom(env);
    const today = (deps.now ?? (() => new Date()))().toISOString().slice(0, 10);
    dir = values.out ?? `./export-${teamId}-${today}`;
    if (existsSync(dir) && readdirSync(dir).length > 0) throw new UsageError(`${dir} is not empty; give a new folder with --out`);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(e.message);
    io.err(USAGE);
    return 2;
  }

  const db = openDatabase(url);
  try {
    await migrateDatabase(db, (m) => io.err(m));
    if (!(await workspaceDataExists({ db, slackTeamId: teamId }))) {
      io.err(`No workspace ${teamId} in this database; nothing written.`);
      return 1;
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const result = await exportWorkspace({ db, slackTeamId: teamId, openFile: async (file) => fileSink(join(dir, file)) });
    const width = Math.max(...result.files.map((f) => f.file.length));
    const counts = result.files.map((f) => formatCount(f.rows));
    const numWidth = Math.max(...counts.map((c) => c.length));
    io.out(`Exported workspace ${teamId} to ${dir}:`);
    result.files.forEach((f, i) => io.out(`  ${f.file.padEnd(width)}  ${counts[i]!.padStart(numWidth)} row${f.rows === 1 ? '' : 's'}`));
    return 0;
  } catch (e) {
    io.err(failureMessage('export', e));
    return 1;
  } finally {
    await db.close();
  }
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = await runExportCli(process.argv.slice(2), process.env, { out: (l) => console.log(l), err: (l) => console.error(l) });
}
