import { count, plural } from './fields.js';
import type { TImportReport } from './types.js';

/** Line numbers for people: `3, 5, 9 and 2 more`. */
function linesText(lines: readonly number[], total: number): string {
  const shown = `${total === 1 ? 'line' : 'lines'} ${lines.join(', ')}`;
  return total > lines.length ? `${shown} and ${count(total - lines.length)} more` : shown;
}

/** How many invalid rows are listed one by one before switching to the grouped summary only. */
const MAX_LISTED = 20;

/**
 * The import report as a person reads it in a terminal: a title line, aligned counts, then the
 * invalid rows (one per line up to 20, then grouped), notes and warnings.
 *
 * @example
 * formatImportReport(report).split('\n')[0]
 * // 'sales_pipeline.csv → workspace TDEMO "Demo workspace (Maven CRM)" (created), mapping maven-crm'
 */
export function formatImportReport(r: TImportReport): string {
  const out: string[] = [];
  const ws = `workspace ${r.workspace.slackTeamId}${r.workspace.name ? ` "${r.workspace.name}"` : ''}${r.workspace.created ? (r.dryRun || r.refused ? ' (new)' : ' (created)') : ''}`;
  out.push(`${r.file} → ${ws}, mapping ${r.mapping}${r.dryRun ? ' — DRY RUN, nothing written' : ''}`);

  if (r.refused) {
    out.push(`REFUSED: nothing was written.`);
    for (const e of r.fileErrors) out.push(`  ${e}`);
    if (r.issues.length > 0) {
      out.push(`  ${plural(r.skipped, 'invalid row')} in ${r.file}${r.issues.some((i) => i.file !== r.file) ? ' (and side files)' : ''}:`);
      for (const i of r.issues.slice(0, MAX_LISTED)) out.push(`  ${i.file === r.file ? '' : `${i.file} `}line ${i.line}: ${i.message}`);
      if (r.issues.length > MAX_LISTED) out.push(`  … ${count(r.issues.length - MAX_LISTED)} more problems; by reason:`);
      if (r.issues.length > MAX_LISTED) for (const g of r.skippedReasons) out.push(`    ${g.field} ${g.kind}: ${plural(g.count, 'row')} (${linesText(g.lines, g.count)})`);
      out.push('  Fix these rows, or run again with --skip-invalid to import the valid rows and skip these.');
    }
    return out.join('\n');
  }

  const would = r.dryRun ? 'would be ' : '';
  const rows: Array<[string, string]> = [
    ['rows read', count(r.rowsRead)],
    [`${would}imported`, count(r.imported)],
    [`${would}updated`, count(r.updated)],
    ['unchanged', count(r.unchanged)],
    ...(r.refunds.imported + r.refunds.updated + r.refunds.unchanged > 0
      ? ([
          [`refunds ${would}imported`, count(r.refunds.imported)],
          [`refunds ${would}updated`, count(r.refunds.updated)],
          ['refunds unchanged', count(r.refunds.unchanged)],
        ] as Array<[string, string]>)
      : []),
    ['skipped (invalid)', count(r.skipped)],
    [`reps ${would}created`, count(r.repsCreated)],
    [`teams ${would}created`, count(r.teamsCreated)],
    [`reps ${would}put on teams`, count(r.repsAssignedToTeams)],
    ['time', `${count(r.elapsedMs)} ms`],
  ];
  const labelWidth = Math.max(...rows.map(([l]) => l.length));
  const valueWidth = Math.max(...rows.map(([, v]) => v.length));
  for (const [label, value] of rows) out.push(`  ${label.padEnd(labelWidth)}  ${value.padStart(valueWidth)}`);
  if (r.imported + r.updated + r.refunds.imported + r.refunds.updated === 0 && r.unchanged + r.refunds.unchanged > 0 && !r.dryRun) out.push('  Nothing changed: every row is already stored with the same data.');

  if (r.skippedReasons.length > 0) {
    out.push('Skipped rows, by reason:');
    for (const g of r.skippedReasons) out.push(`  ${g.file === r.file ? '' : `${g.file} `}${g.field} ${g.kind}: ${plural(g.count, 'row')} (${linesText(g.lines, g.count)}), e.g. ${g.example}`);
  }
  if (r.notes.length > 0) {
    out.push('How the data was read:');
    for (const n of r.notes) out.push(`  - ${n}`);
  }
  if (r.warnings.length > 0) {
    out.push('Warnings:');
    for (const w of r.warnings) out.push(`  ! ${w}`);
  }
  return out.join('\n');
}
