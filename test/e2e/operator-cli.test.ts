import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../src/storage/db.js';
import { migrateDatabase } from '../../src/storage/migrate.js';
import { freshDatabaseUrl, testEngines } from '../helpers/test-db.js';
import { childEnv } from '../helpers/child-env.js';
import { countRowsOfTeam, CRM_KEY, schemaModels, seededSecrets, seedWorkspace, SLACK_KEY } from '../helpers/workspace-seed.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** Each test spawns several processes (about 1.5 s each on an idle machine). */
const SLOW = 240_000;
const DAY = 86_400_000;
const NEW_SLACK_KEY = Buffer.alloc(32, 41).toString('base64');
const NEW_CRM_KEY = Buffer.alloc(32, 42).toString('base64');
const OAUTH = {
  SLACK_SIGNING_SECRET: 'e2e-signing-secret-0123456789',
  SLACK_CLIENT_ID: '1111111111.2222222222',
  SLACK_CLIENT_SECRET: 'oauth-client-secret-e2e',
  SLACK_STATE_SECRET: 'oauth-state-secret-e2e-0123456789abcdef',
  SCHEDULER_ENABLED: 'false',
  PORT: '0',
};

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI as its own process (`npm run <name>` runs `tsx src/cli/<name>.ts`); stdin is a pipe, not a terminal. */
function runCli(cli: string, args: string[], env: Record<string, string>): Promise<Result> {
  const child = spawn(process.execPath, ['--import', 'tsx', `src/cli/${cli}.ts`, ...args], { cwd: ROOT, env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((r) => child.on('close', (code) => r({ code, stdout, stderr })));
}

/** Starts src/main.ts; resolves at its exit, or once it listens (then stops it with SIGTERM). */
function startMain(env: Record<string, string>): Promise<{ code: number | null; output: string; listened: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let listened = false;
  const onData = (d: Buffer): void => {
    output += d.toString();
    if (!listened && output.includes('sales KPI app listening')) {
      listened = true;
      child.kill('SIGTERM');
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((r) => child.on('exit', (code) => r({ code, output, listened })));
}

describe.each(testEngines())('operator commands as processes on %s (issue #11)', (dialect) => {
  let url: string;
  let cleanup: () => Promise<void>;
  let db: Db;
  let dir: string;
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({ DATABASE_URL: url, ...extra });

  beforeAll(async () => {
    ({ url, cleanup } = await freshDatabaseUrl(dialect));
    db = openDatabase(url);
    await migrateDatabase(db);
    dir = mkdtempSync(join(tmpdir(), 'kpi-operator-'));
    await seedWorkspace(db, 'T1', { tag: 't1' });
    await seedWorkspace(db, 'T2', { tag: 't2' });
  });
  afterAll(async () => {
    await db.close();
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('npm run export writes one CSV per table with what is stored, and no secret', async () => {
    const out = join(dir, 'export-T1');
    const r = await runCli('export', ['--workspace', 'T1', '--out', out], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Exported workspace T1 to ${out}:`);
    expect(r.stdout).toMatch(/^ {2}deals\.csv +3 rows$/m);
    expect(r.stdout).toMatch(/^ {2}crm_connections\.csv +1 row$/m);
    const files = readdirSync(out).sort();
    expect(files).toContain('deals.csv');
    expect(files).toHaveLength(22);
    const deals = parse(readFileSync(join(out, 'deals.csv')), { columns: true }) as Array<Record<string, string>>;
    expect(deals.map((d) => [d['external_id'], d['amount_minor'], d['currency'], d['status'], d['closed_at']])).toEqual([
      ['D-1', '1234500', 'USD', 'won', '2026-03-01T09:00:00.000Z'],
      ['D-2', '500', 'EUR', 'open', ''],
      ['D-3', '0', 'EUR', 'lost', '2026-02-28T09:00:00.000Z'],
    ]);
    expect(deals[0]!['customer']).toBe(`'=HYPERLINK("http://evil.example","x")`);
    const all = files.map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    for (const secret of [...seededSecrets('T1'), 's1.']) expect(all).not.toContain(secret);

    const again = await runCli('export', ['--workspace', 'T1', '--out', out], env());
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('is not empty');
    const unknown = await runCli('export', ['--workspace', 'TNONE', '--out', join(dir, 'none')], env());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No workspace TNONE in this database; nothing written.');
    expect(existsSync(join(dir, 'none'))).toBe(false);
  }, SLOW);

  test('npm run purge: refused without a terminal or --yes; --dry-run counts; --yes purges T1 only; twice is fine', async () => {
    const before1 = await countRowsOfTeam(db, 'T1');
    const before2 = await countRowsOfTeam(db, 'T2');
    const refused = await runCli('purge', ['--workspace', 'T1'], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing to purge without confirmation: stdin is not a terminal, so pass --yes');
    expect(await countRowsOfTeam(db, 'T1')).toEqual(before1);

    const dry = await runCli('purge', ['--workspace', 'T1', '--dry-run'], env());
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run: purging workspace T1 would delete:');
    expect(dry.stdout).toMatch(/^ {2}Deal +3$/m);
    expect(await countRowsOfTeam(db, 'T1')).toEqual(before1);

    const purged = await runCli('purge', ['--workspace', 'T1', '--yes'], env());
    expect(purged.stderr).toBe('');
    expect(purged.code).toBe(0);
    expect(purged.stdout).toContain('Purged workspace T1:');
    const after = await countRowsOfTeam(db, 'T1');
    for (const model of schemaModels()) expect(after[model], model).toBe(0);
    expect(await countRowsOfTeam(db, 'T2')).toEqual(before2);

    const twice = await runCli('purge', ['--workspace', 'T1', '--yes'], env());
    expect(twice.code).toBe(0);
    expect(twice.stdout).toContain('Nothing stored for workspace T1; nothing to purge.');
    const usage = await runCli('purge', [], env());
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('give --workspace TEAM_ID or --expired');
  }, SLOW);

  test('npm run purge -- --expired --yes purges installations uninstalled longer than UNINSTALLED_RETENTION_DAYS', async () => {
    // Relative to the clock the child reads too (no fixed date: the suite also runs a year ahead).
    await seedWorkspace(db, 'TOLD', { tag: 'old', uninstalledAt: new Date(Date.now() - 40 * DAY) });
    await seedWorkspace(db, 'TNEW', { tag: 'new', uninstalledAt: new Date(Date.now() - 10 * DAY) });
    const keptNew = await countRowsOfTeam(db, 'TNEW');
    const keptT2 = await countRowsOfTeam(db, 'T2');
    const bad = await runCli('purge', ['--expired', '--yes'], env({ UNINSTALLED_RETENTION_DAYS: 'soon' }));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('UNINSTALLED_RETENTION_DAYS must be a whole number of days such as 90');

    const dry = await runCli('purge', ['--expired', '--dry-run'], env({ UNINSTALLED_RETENTION_DAYS: '30' }));
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run: 1 installation uninstalled more than 30 days ago:');
    expect(dry.stdout).toContain('TOLD (uninstalled ');
    expect((await countRowsOfTeam(db, 'TOLD'))['Deal']).toBe(3);

    const r = await runCli('purge', ['--expired', '--yes'], env({ UNINSTALLED_RETENTION_DAYS: '30' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Purged TOLD (uninstalled ');
    expect(Object.values(await countRowsOfTeam(db, 'TOLD')).every((n) => n === 0)).toBe(true);
    expect(await countRowsOfTeam(db, 'TNEW')).toEqual(keptNew);
    expect(await countRowsOfTeam(db, 'T2')).toEqual(keptT2);
    // The default retention (90 days) keeps both.
    const again = await runCli('purge', ['--expired', '--yes'], env());
    expect(again.stdout).toContain('No installation uninstalled more than 90 days ago; nothing to purge.');
    await runCli('purge', ['--workspace', 'TNEW', '--yes'], env());
  }, SLOW);

  test('npm run rotate-keys re-seals with the new key; startup with only the old key stops with one line', async () => {
    const rotate = { SLACK_TOKEN_ENCRYPTION_KEY: NEW_SLACK_KEY, SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS: SLACK_KEY, CRM_ENCRYPTION_KEY: NEW_CRM_KEY, CRM_ENCRYPTION_KEY_PREVIOUS: CRM_KEY };
    // Before the rotation the app starts with the new key and the old one as previous.
    const before = await startMain({ ...OAUTH, ...rotate, DATABASE_URL: url });
    expect(before.output).not.toContain('Startup stopped');
    expect(before.listened).toBe(true);

    const none = await runCli('rotate-keys', [], env());
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('set SLACK_TOKEN_ENCRYPTION_KEY and/or CRM_ENCRYPTION_KEY');
    const dry = await runCli('rotate-keys', ['--dry-run'], env(rotate));
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Slack installation tokens: 1 stored, 1 to re-seal, 0 already current, 0 unreadable');

    const r = await runCli('rotate-keys', [], env(rotate));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Slack installation tokens: 1 stored, 1 re-sealed, 0 already current, 0 unreadable');
    expect(r.stdout).toContain('CRM credentials: 1 stored, 1 re-sealed, 0 already current, 0 unreadable');
    const again = await runCli('rotate-keys', [], env(rotate));
    expect(again.stdout).toContain('Slack installation tokens: 1 stored, 0 re-sealed, 1 already current, 0 unreadable');
    expect(again.stdout).toContain('CRM OAuth verifiers: 1 stored, 0 re-sealed, 1 already current, 0 unreadable');

    // After it, the new keys alone start the app; the old key alone does not, in one line.
    const after = await startMain({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_KEY: NEW_SLACK_KEY, CRM_ENCRYPTION_KEY: NEW_CRM_KEY, DATABASE_URL: url });
    expect(after.listened).toBe(true);
    const wrong = await startMain({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_KEY: SLACK_KEY, DATABASE_URL: url });
    expect(wrong.listened).toBe(false);
    expect(wrong.code).toBe(1);
    expect(wrong.output.trim().split('\n')).toEqual([
      'Startup stopped: 1 stored Slack installation token, 1 stored Slack refresh token cannot be opened with SLACK_TOKEN_ENCRYPTION_KEY (or SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS); set the key they were sealed with (README: Operating → Key rotation).',
    ]);
    expect(wrong.output).not.toContain(SLACK_KEY);
  }, SLOW);
});
