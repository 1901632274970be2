import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../storage/db.js';
import { parseCsv } from './csv.js';
import { DEMO_TEAM_ID, importDeals } from './import-deals.js';
import { mavenCrmMapping, type TMavenSideFiles } from './maven-crm.js';
import type { TCsvTable, TImportReport } from './types.js';

/**
 * Reads a Maven CRM folder (datasets/maven-crm): sales_pipeline.csv, and whichever of
 * sales_teams.csv, products.csv and accounts.csv are present.
 */
export function readMavenFolder(dir: string): { pipeline: TCsvTable; side: TMavenSideFiles } {
  const read = (name: string): TCsvTable | undefined => {
    const path = join(dir, name);
    return existsSync(path) ? parseCsv(readFileSync(path), name) : undefined;
  };
  const pipeline = read('sales_pipeline.csv');
  if (!pipeline) throw new Error(`${join(dir, 'sales_pipeline.csv')} not found`);
  const side: TMavenSideFiles = {};
  const salesTeams = read('sales_teams.csv');
  const products = read('products.csv');
  const accounts = read('accounts.csv');
  if (salesTeams) side.salesTeams = salesTeams;
  if (products) side.products = products;
  if (accounts) side.accounts = accounts;
  return { pipeline, side };
}

/**
 * Imports a Maven CRM folder into a workspace (default the demo workspace TDEMO), e.g. for
 * `npm run demo`. Same rules and report as `importDeals`; idempotent, so it can run every time.
 *
 * @example
 * const report = await importMavenFolder({ db, dir: 'datasets/maven-crm' }); // report.imported 8800 the first time, 0 after
 */
export async function importMavenFolder(opts: { db: Db; dir: string; workspaceTeamId?: string; now?: Date; dryRun?: boolean }): Promise<TImportReport> {
  const { pipeline, side } = readMavenFolder(opts.dir);
  return importDeals({
    db: opts.db,
    workspaceTeamId: opts.workspaceTeamId ?? DEMO_TEAM_ID,
    rows: pipeline.rows,
    columns: pipeline.columns,
    file: pipeline.file,
    mapping: mavenCrmMapping(side),
    readIssues: pipeline.malformed,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.dryRun !== undefined ? { dryRun: opts.dryRun } : {}),
  });
}
