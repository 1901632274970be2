import { parse } from 'csv-parse/sync';
import { AppError } from '../../errors.js';
import type { TCsvRow, TCsvTable, TRowIssue } from './types.js';

interface TRecord {
  record: string[];
  info: { bytes: number };
}

/**
 * Parses CSV text (UTF-8, optional BOM, CRLF or LF line endings, quoted fields) into rows keyed by
 * the header, each with the line it starts on (header = line 1), so errors can name lines. A
 * record with more or fewer fields than the header is kept out of `rows` and listed in
 * `malformed`; text that is not CSV at all (an unclosed quote…) throws INVALID_INPUT naming the line.
 *
 * @example
 * parseCsv('id,amount\r\nA1,12\r\n', 'deals.csv').rows // [{ line: 2, values: { id: 'A1', amount: '12' } }]
 */
export function parseCsv(input: string | Buffer, file: string): TCsvTable {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  let records: TRecord[];
  try {
    records = parse(buf, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as TRecord[];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    const what = e instanceof Error ? e.message.replace(/^Invalid [^:]*: /, '') : String(e);
    throw new AppError('INVALID_INPUT', `${file}${line ? ` line ${line}` : ''} is not valid CSV: ${what}`, { i18n: { key: 'error.import.badCsv', values: { file, line: line ? ` (${line})` : '', what } } });
  }

  // Start line of each record, counted from byte offsets (csv-parse's own line counter is the
  // record's last line, and miscounts CRLF inside quoted fields).
  let newlines = 0;
  let scanned = 0;
  let previousEnd = 0;
  const startLine = (end: number): number => {
    let start = previousEnd;
    while (start < end && (buf[start] === 0x0a || buf[start] === 0x0d)) start++;
    for (; scanned < start; scanned++) if (buf[scanned] === 0x0a) newlines++;
    previousEnd = end;
    return newlines + 1;
  };

  const [head, ...body] = records;
  if (!head) return { file, columns: [], rows: [], malformed: [], lineEndings: 'none' };
  startLine(head.info.bytes);
  const columns = head.record.map((c) => c.trim());
  const rows: TCsvRow[] = [];
  const malformed: TRowIssue[] = [];
  for (const r of body) {
    const line = startLine(r.info.bytes);
    if (r.record.length !== columns.length) {
      malformed.push({
        file,
        line,
        field: 'row',
        kind: 'wrong number of fields',
        message: `has ${r.record.length} field${r.record.length === 1 ? '' : 's'}, the header has ${columns.length}`,
      });
      continue;
    }
    const values: Record<string, string> = {};
    columns.forEach((c, i) => (values[c] = r.record[i] ?? ''));
    rows.push({ line, values });
  }
  return { file, columns, rows, malformed, lineEndings: lineEndingsOf(buf) };
}

function lineEndingsOf(buf: Buffer): TCsvTable['lineEndings'] {
  let crlf = 0;
  let lf = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0x0a) {
      if (i > 0 && buf[i - 1] === 0x0d) crlf++;
      else lf++;
    }
  }
  if (crlf === 0 && lf === 0) return 'none';
  if (crlf > 0 && lf > 0) return 'mixed';
  return crlf > 0 ? 'crlf' : 'lf';
}
