import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isValidTimeZone } from '../config.js';
import { isAppError } from '../errors.js';
import {
  DEMO_TEAM_ID,
  detectCsvKind,
  formatImportReport,
  genericMapping,
  hubspotExportMapping,
  importDeals,
  importLeadCounts,
  mavenCrmMapping,
  parseCsv,
  pipedriveExportMapping,
  salesforceExportMapping,
  type TCsvKind,
  type TCsvTable,
  type TImportMapping,
  type TMavenSideFiles,
  type TWorkspaceDefaults,
} from '../domain/imports/index.js';
import { isKnownCurrency } from '../domain/money.js';
import { openDatabase } from '../storage/db.js';
import { refreshPlannerStatistics } from '../storage/maintenance.js';
import { migrateDatabase } from '../storage/migrate.js';
import { databaseUrlFrom, failureMessage, isEntryPoint, UsageError } from './cli-kit.js';

/**
 * `npm run import -- FILE… [--mapping maven-crm|generic|salesforce|hubspot|pipedrive] [--workspace TEAM_ID] [--dry-run] [--skip-invalid]`
 *
 * Imports deal CSV files into the workspace with that Slack team id (default the demo workspace,
 * TDEMO), in the database of DATABASE_URL (default file:./data/kpi.db), migrating it first.
 * A FILE may be a folder: its .csv files are taken. Each file is recognised by its header:
 * the Maven CRM sales_pipeline.csv (with sales_teams.csv, products.csv, accounts.csv as side
 * files), a Salesforce Opportunity, HubSpot deals or Pipedrive deals export, a generic deals
 * file, or a lead-count file (imported after the deals files);
 * `--mapping` forces the mapping of the deals files.
 *
 * Exit codes: 0 imported (or dry run), 1 refused (invalid rows; nothing of that file written) or
 * failed, 2 usage error.
 */

export const USAGE = 'usage: npm run import -- FILE… [--mapping maven-crm|generic|salesforce|hubspot|pipedrive] [--workspace TEAM_ID] [--dry-run] [--skip-invalid]';

type TDealMapping = 'maven-crm' | 'generic' | 'salesforce' | 'hubspot' | 'pipedrive';
const DEAL_MAPPINGS: readonly TDealMapping[] = ['maven-crm', 'generic', 'salesforce', 'hubspot', 'pipedrive'];
const isDealMapping = (m: string): m is TDealMapping => (DEAL_MAPPINGS as readonly string[]).includes(m);

const HELP = `${USAGE}

Imports deals from CSV files into the workspace with Slack team id TEAM_ID (default ${DEMO_TEAM_ID},
the demo workspace), in the database of DATABASE_URL (default file:./data/kpi.db).

  FILE             a CSV file, or a folder of them. Recognised by its header:
                   maven-crm: sales_pipeline.csv, plus optional sales_teams.csv (teams),
                   products.csv and accounts.csv (name checks); CRM exports: a Salesforce
                   Opportunity export (Id, Name, Amount, StageName, IsWon, IsClosed, CloseDate…),
                   a HubSpot deals export (Record ID, Deal Name, Deal Stage, Amount, Close
                   Date…), a Pipedrive deals export (Deal - ID, Deal - Title, Deal - Value,
                   Deal - Status…), keyed on the CRM's record id; generic: external_id, owner,
                   customer, amount, status[, currency, stage, type, created_at, closed_at,
                   lost_reason, discount, recurring_monthly, notes]; lead counts: period,
                   count[, team, rep, source] (one bulk lead count per row, replacing the
                   count stored for the same period, team or rep, and source)
  --mapping M      maven-crm, generic, salesforce, hubspot or pipedrive: read every deals file
                   with that mapping
  --workspace ID   Slack team id of the workspace (created if missing)
  --dry-run        check and count, write nothing
  --skip-invalid   import the valid rows and report the invalid ones (default: refuse the file)

Importing the same file again changes nothing (idempotent on external ids); rows whose data
changed update their deal in place.`;


export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

type TSideKind = 'maven-teams' | 'maven-products' | 'maven-accounts';
const SIDE_FIELD: Record<TSideKind, keyof TMavenSideFiles> = { 'maven-teams': 'salesTeams', 'maven-products': 'products', 'maven-accounts': 'accounts' };

function expandPaths(args: readonly string[]): string[] {
  const files: string[] = [];
  for (const arg of args) {
    let st;
    try {
      st = statSync(arg);
    } catch {
      throw new UsageError(`cannot read ${arg}: no such file or folder`);
    }
    if (st.isDirectory()) {
      const csvs = readdirSync(arg)
        .filter((f) => f.toLowerCase().endsWith('.csv'))
        .sort()
        .map((f) => join(arg, f));
      if (csvs.length === 0) throw new UsageError(`${arg} has no .csv files`);
      files.push(...csvs);
    } else files.push(arg);
  }
  const seen = new Set<string>();
  return files.filter((f) => !seen.has(resolve(f)) && seen.add(resolve(f)));
}

function workspaceDefaults(env: NodeJS.ProcessEnv): TWorkspaceDefaults {
  const currency = env['CURRENCY_DEFAULT'];
  const timeZone = env['TZ_DEFAULT'];
  if (currency !== undefined && currency !== '' && !isKnownCurrency(currency)) throw new UsageError(`CURRENCY_DEFAULT must be an ISO 4217 code such as USD or VND, not "${currency}"`);
  if (timeZone !== undefined && timeZone !== '' && !isValidTimeZone(timeZone)) throw new UsageError(`TZ_DEFAULT must be an IANA time zone such as Europe/Berlin, not "${timeZone}"`);
  return { ...(currency ? { currency } : {}), ...(timeZone ? { timeZone } : {}) };
}

/** Runs the import command; returns the exit code. */
export async function runImportCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        mapping: { type: 'string' },
        workspace: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'skip-invalid': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}`);
    io.err(USAGE);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(HELP);
    return 0;
  }

  let plan: { deals: Array<{ table: TCsvTable; mapping: TDealMapping }>; leadCounts: TCsvTable[]; side: TMavenSideFiles; ignored: string[] };
  let url: string;
  let defaults: TWorkspaceDefaults;
  const teamId = values.workspace ?? DEMO_TEAM_ID;
  try {
    if (positionals.length === 0) throw new UsageError('no FILE given');
    const forced = values.mapping;
    if (forced !== undefined && !isDealMapping(forced)) throw new UsageError(`--mapping must be one of ${DEAL_MAPPINGS.join(', ')}, not "${forced}"`);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(teamId)) throw new UsageError(`--workspace must be a Slack team id such as T0123ABCD, not "${teamId}"`);
    url = databaseUrlFrom(env);
    // The demo workspace keeps its fixed settings (USD, UTC); others take TZ_DEFAULT / CURRENCY_DEFAULT.
    defaults = teamId === DEMO_TEAM_ID ? {} : workspaceDefaults(env);

    plan = { deals: [], leadCounts: [], side: {}, ignored: [] };
    for (const path of expandPaths(positionals)) {
      let table: TCsvTable;
      try {
        table = parseCsv(readFileSync(path), basename(path));
      } catch (e) {
        if (isAppError(e)) {
          // Not CSV at all: the file is refused (exit 1), not a usage error.
          io.out(`${basename(path)}: REFUSED: ${e.message}; nothing was written.`);
          return 1;
        }
        throw new UsageError(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const kind: TCsvKind = detectCsvKind(table.columns);
      if (kind === 'maven-teams' || kind === 'maven-products' || kind === 'maven-accounts') {
        if (forced !== undefined && forced !== 'maven-crm') throw new UsageError(`${table.file} is a maven-crm side file; it does not go with --mapping ${forced}`);
        const field = SIDE_FIELD[kind];
        if (plan.side[field]) throw new UsageError(`two ${field} files given: ${plan.side[field]?.file} and ${table.file}`);
        plan.side[field] = table;
      } else if (kind === 'lead-counts') {
        plan.leadCounts.push(table);
      } else if (kind === 'maven-dictionary') {
        plan.ignored.push(`${table.file} (the data set's data dictionary)`);
      } else if (forced) {
        plan.deals.push({ table, mapping: forced });
      } else if (kind === 'maven-pipeline') {
        plan.deals.push({ table, mapping: 'maven-crm' });
      } else if (kind === 'generic' || kind === 'salesforce' || kind === 'hubspot' || kind === 'pipedrive') {
        plan.deals.push({ table, mapping: kind });
      } else {
        throw new UsageError(`cannot tell which mapping ${table.file} uses (header: ${table.columns.slice(0, 8).join(', ') || 'empty'}); pass --mapping ${DEAL_MAPPINGS.join('|')}`);
      }
    }
    if (plan.deals.length === 0 && plan.leadCounts.length === 0) {
      throw new UsageError('no deals or lead-count file given (a sales_pipeline.csv, a generic file with external_id, owner, customer, amount, status, or a lead-count file with period, count)');
    }
    if (Object.keys(plan.side).length > 0 && !plan.deals.some((d) => d.mapping === 'maven-crm')) {
      throw new UsageError('sales_teams.csv, products.csv and accounts.csv go with a maven-crm sales_pipeline.csv');
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(e.message);
    io.err(USAGE);
    return 2;
  }

  const db = openDatabase(url);
  let refused = 0;
  try {
    await migrateDatabase(db, (m) => io.err(m));
    for (const ignored of plan.ignored) io.out(`Ignored ${ignored}.`);
    for (const [i, { table, mapping }] of plan.deals.entries()) {
      const m: TImportMapping =
        mapping === 'maven-crm'
          ? mavenCrmMapping(plan.side)
          : mapping === 'salesforce'
            ? salesforceExportMapping()
            : mapping === 'hubspot'
              ? hubspotExportMapping()
              : mapping === 'pipedrive'
                ? pipedriveExportMapping()
                : genericMapping();
      const report = await importDeals({
        db,
        workspaceTeamId: teamId,
        rows: table.rows,
        columns: table.columns,
        file: table.file,
        mapping: m,
        dryRun: values['dry-run'],
        skipInvalid: values['skip-invalid'],
        readIssues: table.malformed,
        workspaceDefaults: defaults,
      });
      if (i > 0) io.out('');
      io.out(formatImportReport(report));
      if (report.refused) refused++;
    }
    // Lead counts after the deals, so the reps a count names exist.
    for (const [i, table] of plan.leadCounts.entries()) {
      const report = await importLeadCounts({
        db,
        workspaceTeamId: teamId,
        rows: table.rows,
        file: table.file,
        dryRun: values['dry-run'],
        skipInvalid: values['skip-invalid'],
        readIssues: table.malformed,
        now: new Date(),
      });
      if (i > 0 || plan.deals.length > 0) io.out('');
      io.out(formatImportReport(report));
      if (report.refused) refused++;
    }
    // Fresh statistics so the first KPI after a large import is planned well (PostgreSQL only).
    if (!values['dry-run']) await refreshPlannerStatistics(db);
  } catch (e) {
    io.err(failureMessage('import', e));
    return 1;
  } finally {
    await db.close();
  }
  return refused > 0 ? 1 : 0;
}

if (isEntryPoint(import.meta.url)) {
  const code = await runImportCli(process.argv.slice(2), process.env, { out: (l) => console.log(l), err: (l) => console.error(l) });
  process.exitCode = code;
}
