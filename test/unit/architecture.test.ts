import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';

// The layer rules of ARCHITECTURE.md, run the way CI runs them (`npm run lint:deps`): the real
// tree has no violation, and a deliberate violation of each rule fails.

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DB_CALLERS = join(ROOT, 'tools', 'check-db-callers.mjs');

interface TOutcome {
  code: number;
  output: string;
}

async function outcome(file: string, args: string[], cwd: string): Promise<TOutcome> {
  try {
    const r = await run(file, args, { cwd, encoding: 'utf8' });
    return { code: 0, output: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A throwaway project with the repo's tsconfig and the given `src/` files. */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'arch-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'tsconfig.json'), readFileSync(join(ROOT, 'tsconfig.json'), 'utf8'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

// Each run starts dependency-cruiser (a few seconds on a busy machine).
describe('layer rules (dependency-cruiser)', { timeout: 60_000 }, () => {
  test('main has no violation', async () => {
    const r = await outcome(DEPCRUISE, ['src', '--config', CONFIG], ROOT);
    expect(r.output).toContain('no dependency violations found');
    expect(r.code).toBe(0);
  });

  test.each([
    ['domain imports Slack', 'domain-not-to-adapters', { 'src/domain/bad.ts': "import { x } from '../slack/gateway.js';\nexport const y = x;\n", 'src/slack/gateway.ts': 'export const x = 1;\n' }],
    ['domain imports the CLI', 'domain-not-to-adapters', { 'src/domain/bad.ts': "import { x } from '../cli/demo.js';\nexport const y = x;\n", 'src/cli/demo.ts': 'export const x = 1;\n' }],
    ['storage imports domain logic', 'storage-not-to-upper-layers', { 'src/storage/bad.ts': "import { x } from '../domain/metrics/rule.js';\nexport const y = x;\n", 'src/domain/metrics/rule.ts': 'export const x = 1;\n' }],
    ['charts import Slack', 'leaves-stay-leaves', { 'src/charts/bad.ts': "import { x } from '../slack/blocks/limits.js';\nexport const y = x;\n", 'src/slack/blocks/limits.ts': 'export const x = 1;\n' }],
    ['i18n imports Slack', 'leaves-stay-leaves', { 'src/i18n/bad.ts': "import { x } from '../slack/blocks/limits.js';\nexport const y = x;\n", 'src/slack/blocks/limits.ts': 'export const x = 1;\n' }],
    ['i18n imports a domain use case', 'i18n-reads-only-money-and-periods', { 'src/i18n/bad.ts': "import { x } from '../domain/metrics/report-kpi.js';\nexport const y = x;\n", 'src/domain/metrics/report-kpi.ts': 'export const x = 1;\n' }],
    ['a Slack listener imports the Prisma client', 'only-storage-touches-prisma', { 'src/slack/listeners/bad.ts': "import { x } from '../../generated/sqlite/client.js';\nexport const y = x;\n", 'src/generated/sqlite/client.ts': 'export const x = 1;\n' }],
    ['a use case imports the Prisma client', 'only-storage-touches-prisma', { 'src/domain/deals/bad.ts': "import { x } from '../../generated/sqlite/client.js';\nexport const y = x;\n", 'src/generated/sqlite/client.ts': 'export const x = 1;\n' }],
    ['Slack runs SQL queries itself', 'adapters-reach-sql-through-domain', { 'src/slack/kpi/bad.ts': "import { x } from '../../storage/queries/metrics.js';\nexport const y = x;\n", 'src/storage/queries/metrics.ts': 'export const x = 1;\n' }],
    ['the CLI uses Slack logic', 'cli-and-scheduler-use-domain-not-slack-logic', { 'src/cli/bad.ts': "import { x } from '../slack/kpi/kpi-answer.js';\nexport const y = x;\n", 'src/slack/kpi/kpi-answer.ts': 'export const x = 1;\n' }],
  ] as const)('fails when %s (%s)', async (_what, rule, files) => {
    const r = await outcome(DEPCRUISE, ['src', '--config', CONFIG], fixture(files));
    expect(r.output).toContain(rule);
    expect(r.code).not.toBe(0);
  });

  test('the CLI may print with the pure block builders', async () => {
    const r = await outcome(DEPCRUISE, ['src', '--config', CONFIG], fixture({ 'src/cli/ok.ts': "import { x } from '../slack/blocks/render-text.js';\nexport const y = x;\n", 'src/slack/blocks/render-text.ts': 'export const x = 1;\n' }));
    expect(r.output).toContain('no dependency violations found');
    expect(r.code).toBe(0);
  });
});

describe('Prisma calls outside storage/ (tools/check-db-callers.mjs)', { timeout: 60_000 }, () => {
  test('main has none (no exceptions)', async () => {
    const r = await outcome('node', [DB_CALLERS], ROOT);
    expect(r.code).toBe(0);
    expect(r.output).toContain('no Prisma calls or raw SQL outside storage/');
    expect(r.output).not.toContain('allow-listed');
  });

  test.each([
    ['a listener calls deps.db.prisma', 'src/slack/listeners/commands/bad.ts', 'export const f = (deps: { db: { prisma: { rep: { count(): number } } } }) => deps.db.prisma.rep.count();\n', 1],
    ['a new use case calls db.prisma', 'src/domain/deals/bad.ts', 'export const f = (db: { prisma: { deal: { count(): number } } }) => db.prisma.deal.count();\n', 1],
    ['a use case writes through a transaction client', 'src/domain/deals/bad-tx.ts', 'export const f = (tx: { deal: { create(a: object): number } }) => tx.deal.create({});\n', 1],
    ['a use case runs raw SQL through the Db handle', 'src/domain/alerts/bad-sql.ts', 'export const f = (db: { query(s: string): unknown }) => db.query(\'SELECT 1\');\n', 1],
    ['a scheduler job runs a raw statement', 'src/scheduler/bad-sql.ts', 'export const f = (opts: { db: { execute(s: string): unknown } }) => opts.db.execute(\'DELETE FROM "Deal"\');\n', 1],
    ['a storage module calls db.prisma', 'src/storage/bad.ts', 'export const f = (db: { prisma: { deal: { count(): number } } }) => db.prisma.deal.count();\n', 0],
  ] as const)('%s: exit code %i', async (_what, path, text, code) => {
    const dir = fixture({ [path]: text });
    const r = await outcome('node', [DB_CALLERS, join(dir, 'src')], ROOT);
    expect(r.code).toBe(code);
    if (code === 1) expect(r.output).toContain(path);
  });
});
