import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase } from '../../src/storage/db.js';
import { freshDatabaseUrl, testEngines } from '../helpers/test-db.js';
import { childEnv } from '../helpers/child-env.js';

const ROOT = resolve(import.meta.dirname, '../..');
const USAGE = 'usage: npm run import -- FILE… [--mapping maven-crm|generic|salesforce|hubspot|pipedrive] [--workspace TEAM_ID] [--dry-run] [--skip-invalid]';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `src/cli/import.ts` as its own process, the way `npm run import` does. */
function runCli(args: string[], env: Record<string, string>): Promise<Result> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/import.ts', ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((r) => child.on('close', (code) => r({ code, stdout, stderr })));
}

describe.each(testEngines())('npm run import, as a process, on %s', (dialect) => {
  let dir: string;
  let url: string;
  let cleanup: () => Promise<void>;
  const env = () => ({ DATABASE_URL: url });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kpi-import-cli-'));
    ({ url, cleanup } = await freshDatabaseUrl(dialect));
    writeFileSync(
      join(dir, 'deals.csv'),
      [
        'external_id,owner,customer,amount,status,closed_at',
        'A-1,Ann,Acme,$12000,won,2025-01-10',
        'A-2,Ann,Beta,abc,open,', // line 3: bad amount
        'A-3,Ben,Gamma,0,lost,2025-01-12',
        'A-4,Ben,,5k,open,', // line 5: missing customer
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  async function dealCount(teamId: string): Promise<number> {
    const db = openDatabase(url);
    try {
      return await db.prisma.deal.count({ where: { workspace: { slackTeamId: teamId } } });
    } finally {
      await db.close();
    }
  }

  test('usage errors exit 2 with the usage line', async () => {
    const none = await runCli([], env());
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no FILE given');
    expect(none.stderr).toContain(USAGE);
    const badMapping = await runCli(['datasets/maven-crm/sales_pipeline.csv', '--mapping', 'zoho'], env());
    expect(badMapping.code).toBe(2);
    expect(badMapping.stderr).toContain('--mapping must be one of maven-crm, generic, salesforce, hubspot, pipedrive');
    const unknownOption = await runCli(['datasets/maven-crm/sales_pipeline.csv', '--force'], env());
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain(USAGE);
    const missing = await runCli([join(dir, 'nope.csv')], env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const sideOnly = await runCli(['datasets/maven-crm/sales_teams.csv'], env());
    expect(sideOnly.code).toBe(2);
    // Five process starts: on a loaded CI machine each can take several seconds.
  }, 120_000);

  test('a dry run of the Maven folder writes nothing', async () => {
    const r = await runCli(['datasets/maven-crm', '--workspace', 'TCLI', '--dry-run'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('DRY RUN, nothing written');
    expect(r.stdout).toMatch(/would be imported\s+8,800/);
    expect(await dealCount('TCLI')).toBe(0);
  });

  test('imports the Maven folder (mapping detected by header, sales_teams.csv among the files), then again with no change', async () => {
    const r = await runCli(['datasets/maven-crm', '--workspace', 'TCLI'], env());
    expect(r.stderr).not.toContain('import failed');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sales_pipeline.csv → workspace TCLI');
    expect(r.stdout).toContain('mapping maven-crm');
    expect(r.stdout).toMatch(/^ {2}rows read +8,800$/m);
    expect(r.stdout).toMatch(/^ {2}imported +8,800$/m);
    expect(r.stdout).toMatch(/^ {2}reps created +30$/m);
    expect(r.stdout).toMatch(/^ {2}teams created +6$/m);
    expect(r.stdout).toContain('Ignored data_dictionary.csv');
    expect(r.stdout).toContain('"GTXPro"');
    // Aligned: every count line has its value ending in the same column.
    const countLines = r.stdout.split('\n').filter((l) => /^ {2}(rows read|imported|updated|unchanged|skipped)/.test(l));
    expect(new Set(countLines.map((l) => l.length)).size).toBe(1);
    expect(await dealCount('TCLI')).toBe(8800);

    const again = await runCli(['datasets/maven-crm/sales_pipeline.csv', 'datasets/maven-crm/sales_teams.csv', '--workspace', 'TCLI', '--mapping', 'maven-crm'], env());
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^ {2}unchanged +8,800$/m);
    expect(again.stdout).toMatch(/^ {2}imported +0$/m);
    expect(again.stdout).toContain('Nothing changed');
    expect(await dealCount('TCLI')).toBe(8800);
  });

  test('a malformed generic file is refused (exit 1) naming its lines; --skip-invalid imports the rest', async () => {
    const refused = await runCli([join(dir, 'deals.csv'), '--workspace', 'TGEN'], env());
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('REFUSED: nothing was written.');
    expect(refused.stdout).toMatch(/line 3: amount "abc"/);
    expect(refused.stdout).toMatch(/line 5: customer is empty/);
    expect(refused.stdout).toContain('--skip-invalid');
    expect(await dealCount('TGEN')).toBe(0);

    const skipped = await runCli([join(dir, 'deals.csv'), '--workspace', 'TGEN', '--skip-invalid'], env());
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(/^ {2}imported +2$/m);
    expect(skipped.stdout).toMatch(/^ {2}skipped \(invalid\) +2$/m);
    expect(skipped.stdout).toMatch(/amount not an amount: 1 row \(line 3\)/);
    expect(skipped.stdout).toMatch(/customer missing: 1 row \(line 5\)/);
    expect(await dealCount('TGEN')).toBe(2);
  });
  test('the Salesforce, HubSpot and Pipedrive example exports are recognised and imported, then again with no change', async () => {
    const files = ['salesforce-opportunities.csv', 'hubspot-deals.csv', 'pipedrive-deals.csv'].map((f) => `datasets/examples/${f}`);
    const r = await runCli([...files, '--workspace', 'TCRM'], env());
    expect(r.stderr).not.toContain('import failed');
    expect(r.code).toBe(0);
    for (const m of ['mapping salesforce', 'mapping hubspot', 'mapping pipedrive']) expect(r.stdout).toContain(m);
    expect(r.stdout.match(/^ {2}imported +\d+$/gm)?.map((l) => l.trim().split(/ +/)[1])).toEqual(['14', '12', '12']);
    expect(await dealCount('TCRM')).toBe(38);
    const again = await runCli([...files, '--workspace', 'TCRM'], env());
    expect(again.code).toBe(0);
    expect(again.stdout.match(/^ {2}unchanged +\d+$/gm)?.map((l) => l.trim().split(/ +/)[1])).toEqual(['14', '12', '12']);
    expect(await dealCount('TCRM')).toBe(38);

    const bad = await runCli(['datasets/examples/hubspot-deals-bad-row.csv', '--workspace', 'TCRMBAD'], env());
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('REFUSED: nothing was written.');
    expect(bad.stdout).toMatch(/line 3: Amount "1\.234,56"/);
    expect(bad.stdout).toMatch(/line 4: Close Date is empty on a won deal/);
    expect(await dealCount('TCRMBAD')).toBe(0);
  });
});
