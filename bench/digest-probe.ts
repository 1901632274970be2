/**
 * One weekly digest measured in a process of its own, from the built `dist` (as the app's
 * scheduler builds it): `node --import tsx bench/digest-probe.ts <database url> <workspace id>
 * <subscription id> <slot ISO> <now ISO>`. Prints one JSON line: the first digest of the process,
 * then (after twenty warm-up digests) seven with an empty closed-period cache and seven with a warm
 * one, wall and CPU each (`process.cpuUsage` of this process). bench/run.ts starts it, so the
 * figure is not the bench's own process (which holds the seeded history in its heap).
 */
import type { Db } from '../src/storage/db.js';

type TDbModule = typeof import('../src/storage/db.js');
type TDigestModule = typeof import('../src/domain/digests/build-weekly-digest.js');
type TRenderModule = typeof import('../src/slack/blocks/digest.js');

const [url, workspaceIdText, subscriptionIdText, slotText, nowText] = process.argv.slice(2);
if (!url || !workspaceIdText || !subscriptionIdText || !slotText || !nowText) throw new Error('usage: digest-probe <url> <workspaceId> <subscriptionId> <slot> <now>');
const dist = new URL(`../${process.env.DIGEST_PROBE_DIST ?? 'dist'}/src/`, import.meta.url);
const { openDatabase } = (await import(new URL('storage/db.js', dist).href)) as TDbModule;
const { buildWeeklyDigest } = (await import(new URL('domain/digests/build-weekly-digest.js', dist).href)) as TDigestModule;
const { buildWeeklyDigestMessage: render } = (await import(new URL('slack/blocks/digest.js', dist).href)) as TRenderModule;

const db = openDatabase(url);
const workspace = await db.prisma.workspace.findUniqueOrThrow({ where: { id: Number(workspaceIdText) } });
const subscription = await db.prisma.digestSubscription.findUniqueOrThrow({ where: { id: Number(subscriptionIdText) } });
const slot = new Date(slotText);
const now = new Date(nowText);
// `view` decides the closed-period cache: the cache is per Db object, so `{ ...db }` starts empty.
const one = async (view: Db) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await buildWeeklyDigest({ db: view, workspace, subscription, slotInstant: slot, late: false, now, quickchartUrl: 'https://quickchart.io', render });
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
};
// The first digest of the process runs uncompiled code with nothing cached.
const first = await one({ ...db });
// Warm-up: JIT only (each view starts with an empty cache). V8 compiles on background threads,
// whose CPU counts here: 20 digests, so the figures below are of compiled code.
for (let i = 0; i < 20; i++) await one({ ...db });
const cold = [];
for (let i = 0; i < Number(process.env.DIGEST_PROBE_COLD ?? 7); i++) cold.push(await one({ ...db }));
const warmView = { ...db };
await one(warmView);
const warm = [];
for (let i = 0; i < 7; i++) warm.push(await one(warmView));
await db.close();
process.stdout.write(`${JSON.stringify({ first, cold, warm })}\n`);
