import type { Db } from '../../storage/db.js';
import { EXPORT_TABLES, exportPage, workspaceIdBySlackTeam, type TCellValue, type TColumnKind } from '../../storage/queries/workspace-data.js';
import { slackInstallationByKey } from '../../storage/queries/slack-installations.js';
import { csvQuote, csvRecord, csvText } from '../../shared/csv-write.js';

/** Where one table's CSV goes: the CLI opens a file; `write` resolves when the text may be written again (backpressure). */
export interface TCsvSink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

export interface ExportWorkspaceOptions {
  db: Db;
  slackTeamId: string;
  /** Opens the sink of one file (`deals.csv`…). */
  openFile: (file: string) => Promise<TCsvSink>;
  /** Rows read per keyset page; memory stays at one page per table. */
  pageSize?: number;
  onProgress?: (file: string, rows: number) => void;
}

export interface TExportResult {
  /** False when neither a workspace nor an installation has that team id (nothing written). */
  found: boolean;
  files: Array<{ file: string; rows: number }>;
}

/** Whether the database holds anything of that team: its workspace or its installation. */
export async function workspaceDataExists(opts: { db: Db; slackTeamId: string }): Promise<boolean> {
  if ((await workspaceIdBySlackTeam(opts.db, opts.slackTeamId)) !== null) return true;
  return (await slackInstallationByKey(opts.db, `team:${opts.slackTeamId}`)) !== null;
}

/**
 * A cell as text: dates in UTC ISO 8601, money as integer minor units, booleans `true`/`false`,
 * nothing as an empty cell; text neutralised against spreadsheet formulas.
 *
 * @example cellText('date', new Date(Date.UTC(2026, 0, 2))) // '2026-01-02T00:00:00.000Z'
 * @example cellText('bigint', 1234500n) // '1234500'
 */
export function cellText(kind: TColumnKind, v: TCellValue): string {
  if (v === null) return '';
  if (v instanceof Date) return v.toISOString();
  if (kind === 'text') return csvText(String(v));
  return csvQuote(String(v));
}

/**
 * Writes everything the workspace owns as CSV, one file per table (`<table>.csv`), reading each
 * table in keyset pages so memory stays flat however many deals there are. Sealed tokens and CRM
 * credentials are not in the catalogue's export columns, so they are never written.
 */
export async function exportWorkspace(opts: ExportWorkspaceOptions): Promise<TExportResult> {
  const pageSize = opts.pageSize ?? 2000;
  const workspaceId = await workspaceIdBySlackTeam(opts.db, opts.slackTeamId);
  const scope = { workspaceId, installKey: `team:${opts.slackTeamId}` };
  const files: TExportResult['files'] = [];
  let any = workspaceId !== null;
  for (const table of EXPORT_TABLES) {
    const file = `${table.file}.csv`;
    const sink = await opts.openFile(file);
    let rows = 0;
    try {
      await sink.write(csvRecord(table.columns.map((c) => c.name)));
      let after = 0;
      for (;;) {
        const page = await exportPage(opts.db, table.table, scope, after, pageSize);
        if (page.length === 0) break;
        let text = '';
        for (const row of page) text += csvRecord(row.values.map((v, i) => cellText(table.columns[i]!.kind, v)));
        await sink.write(text);
        rows += page.length;
        after = page[page.length - 1]!.id;
        opts.onProgress?.(file, rows);
        if (page.length < pageSize) break;
      }
    } finally {
      await sink.close();
    }
    if (table.table === 'SlackInstallation' && rows > 0) any = true;
    files.push({ file, rows });
  }
  return { found: any, files };
}
