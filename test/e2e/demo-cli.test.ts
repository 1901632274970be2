import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { childEnv } from '../helpers/child-env.js';

/**
 * `npm run demo -- --lang …` (issue #12): the same answers in each language, the command's own
 * lines included, as a process on the embedded database.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'kpi-demo-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runDemo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/demo.ts', ...args], {
    cwd: ROOT,
    env: childEnv({ DATABASE_URL: `file:${join(dir, 'demo.db')}`, QUICKCHART_URL: 'http://127.0.0.1:9' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((r) => child.on('close', (code) => r({ code, stdout, stderr })));
}

/** The answer sections (after the import lines), without code spans and URLs. */
const answersOf = (stdout: string) =>
  stdout
    .slice(stdout.indexOf('────'))
    .replace(/`[^`]*`/g, '')
    .replace(/https?:\/\/\S+/g, '')
    .replace(/──── \/kpi \w+ [\w-]+ ─+/g, '');

const ENGLISH = /\b(won|lost|revenue|deals?|rate|period|average|reps?|share|channel|imported|note)\b/i;

describe('npm run demo in three languages (issue #12)', () => {
  test('English, then Vietnamese and Chinese: same figures, the reader\'s number format, no English word in the answers', async () => {
    const en = await runDemo(['--period', '2017-Q4']);
    expect(en.stderr).toBe('');
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/^Sales KPIs demo: Maven CRM public pipeline in .*demo\.db\nImported 8,800 new, 0 updated, 0 unchanged of 8,800 rows in [\d,]+ ms; the workspace holds 8,800 deals\./);
    expect(en.stdout).toContain('Win rate');
    expect(en.stdout).toContain('60.3%');

    const vi = await runDemo(['--period', '2017-Q4', '--lang', 'vi']);
    expect(vi.code).toBe(0);
    expect(vi.stdout).toMatch(/^Chạy thử KPI bán hàng: dữ liệu phễu bán hàng công khai của Maven CRM, lưu tại .*demo\.db\nĐã nhập 0 đơn mới, cập nhật 0, giữ nguyên 8\.800 \(trên 8\.800 dòng, mất [\d.]+ ms\); không gian làm việc hiện có 8\.800 đơn\./);
    expect(vi.stdout).toContain('Tỷ lệ chốt đơn');
    expect(vi.stdout).toContain('60,3%');
    expect(answersOf(vi.stdout)).not.toMatch(ENGLISH);

    const zh = await runDemo(['--period', '2017-Q4', '--lang', 'zh-CN']);
    expect(zh.code).toBe(0);
    expect(zh.stdout).toMatch(/^销售 KPI 演示：Maven CRM 公开销售管道数据，位于 .*demo\.db\n已导入：新增 0 个、更新 0 个、未变 8,800 个（共读取 8,800 行，用时 [\d,]+ 毫秒）；工作区现有 8,800 个商机。/);
    // The bold closes before the space, so the plain rendering shows no asterisks.
    expect(zh.stdout).toContain('赢单率 60.3% ，赢单 1,196 / 结单 1,985');
    expect(zh.stdout).toContain('2017年第四季度');
    expect(answersOf(zh.stdout)).not.toMatch(ENGLISH);
  }, 240_000);

  test('an unknown language is refused with the forms that work', async () => {
    const r = await runDemo(['--lang', 'fr']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('Unknown --lang fr: use en, vi or zh-CN.\n');
  }, 60_000);
});
