/**
 * `npx tsx bench/stack-probe.ts`: app CPU per request for requests that do almost nothing (`/deal
 * help`, answered in the ack) next to a logged deal, through the production entry point over HTTP:
 * how much of a request is the HTTP/Bolt stack rather than the app's own work.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSlack } from '../test/helpers/fake-slack.js';
import { slackSender } from '../test/helpers/slack-requests.js';

const SECRET = 'probe-signing-secret';
/** [user, system] CPU of a process so far, in ms (10 ms clock ticks). */
const cpuSplit = (pid: number): [number, number] => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return [Number(x[11]) * 10, Number(x[12]) * 10];
};
function port(pid: number): number {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /socket:\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      /* gone */
    }
  }
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1).concat(readFileSync('/proc/net/tcp6', 'utf8').split('\n').slice(1))) {
    const p = line.trim().split(/\s+/);
    if (p[3] === '0A' && inodes.has(p[9] ?? '')) return parseInt(p[1]!.split(':')[1]!, 16);
  }
  return 0;
}

const fake = await new FakeSlack().start();
const dir = mkdtempSync(join(tmpdir(), 'probe-'));
// PROBE_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, profiles the app process.
const nodeArgs = (process.env.PROBE_NODE_ARGS ?? '').split(' ').filter(Boolean);
const child = spawn(process.execPath, [...nodeArgs, 'dist/src/main.js'], {
  env: { PATH: process.env.PATH ?? '', SLACK_BOT_TOKEN: 'xoxb-1234-5678-testtoken', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, DATABASE_URL: process.env.PROBE_DATABASE_URL ?? `file:${join(dir, 'p.db')}`, PORT: '0', SCHEDULER_ENABLED: 'false', LOG_LEVEL: 'warn' },
  stdio: 'ignore',
});
let p = 0;
while (!(p = port(child.pid!))) await new Promise((r) => setTimeout(r, 100));
const s = slackSender(`http://127.0.0.1:${p}`, SECRET, { response_url: fake.responseUrl('probe'), team_id: process.env.PROBE_TEAM ?? 'T0FAKE', user_id: process.env.PROBE_USER ?? 'U0REP' });
async function measure(label: string, n: number, text: (i: number) => [string, string]): Promise<void> {
  for (let i = 0; i < 50; i++) await s.command(...text(i + 1_000_000));
  const [u0, s0] = cpuSplit(child.pid!);
  for (let i = 0; i < n; i++) await s.command(...text(i));
  const [u1, s1] = cpuSplit(child.pid!);
  console.log(`${label.padEnd(28)} ${((u1 - u0 + s1 - s0) / n).toFixed(2)} ms app CPU per request (user ${((u1 - u0) / n).toFixed(2)}, system ${((s1 - s0) / n).toFixed(2)})`);
}
await measure('/deal help (ack body)', 2000, () => ['/deal', 'help']);
await measure('/kpi help', 2000, () => ['/kpi', 'help']);
await measure('/deal won (new customer)', 1000, (i) => ['/deal', `won ${1 + (i % 50)}k "Probe ${i}"`]);
await measure('/deal help (again)', 2000, () => ['/deal', 'help']);
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await fake.stop();
process.exit(0);
