import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TFiredAlert } from '../../src/domain/alerts/fire-alerts.js';
import { snoozeAlert } from '../../src/domain/alerts/snooze-alert.js';
import { buildDigestPreview, buildWeeklyDigest, createWeeklyDigestBuilder } from '../../src/domain/digests/build-weekly-digest.js';
import { buildWeeklyDigestMessage } from '../../src/slack/blocks/digest.js';
import type { DigestSubscription, Workspace } from '../../src/generated/sqlite/client.js';
import { findLimitViolations } from '../../src/slack/blocks/limits.js';
import type { Db } from '../../src/storage/db.js';
import { addClosedDeals, seedAlertWorkspace } from '../helpers/alert-seed.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const SLOT = new Date('2026-11-30T08:00:00Z'); // Monday 09:00 in Berlin
const QUICKCHART = 'http://127.0.0.1:9/quickchart';

type TBlock = { type: string; text?: { text: string }; elements?: Array<{ text?: string }>; alt_text?: string; image_url?: string };
const textOf = (blocks: readonly unknown[]) =>
  (blocks as TBlock[]).map((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text ?? '')].join('\n')).join('\n');

describe.each(testEngines())('weekly digest content on %s', (dialect) => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = database.db;
  });
  afterAll(async () => database?.drop());

  async function setup(opts: { teamScoped?: boolean; kpis?: string } = {}) {
    const seeded = await seedAlertWorkspace(db, { timeZone: 'Europe/Berlin', alertsChannelId: 'C0ALERTS' });
    const subscription = await db.prisma.digestSubscription.create({
      data: {
        workspaceId: seeded.workspace.id,
        channelId: `C0SALES${seeded.workspace.id}`,
        timeZone: 'Europe/Berlin',
        ...(opts.kpis ? { kpis: opts.kpis } : {}),
        ...(opts.teamScoped ? { teamId: seeded.teamId } : {}),
      },
    });
    return { ...seeded, subscription };
  }
  const events = (w: Workspace) => db.prisma.alertEvent.findMany({ where: { workspaceId: w.id }, orderBy: { id: 'asc' } });

  test('the scheduled digest: week, zone, KPIs vs the week before and the average of the 4 weeks before, pacing, charts, then the alerts it fired', async () => {
    const { workspace, subscription } = await setup({ kpis: 'quota,winrate,dealsize,revenue,funnel,conversion,mrr' });
    const posted: TFiredAlert[][] = [];
    const { text, blocks } = await buildWeeklyDigest({
      db,
      workspace,
      subscription,
      slotInstant: SLOT,
      late: false,
      now: SLOT,
      quickchartUrl: QUICKCHART, render: buildWeeklyDigestMessage,
      onAlertsFired: async (_w, fired) => {
        posted.push([...fired]);
      },
    });
    expect(findLimitViolations(blocks)).toEqual([]);
    expect((blocks[0] as TBlock).text?.text).toBe('Weekly sales digest — week of Nov 23, 2026 (Europe/Berlin)');
    const t = textOf(blocks);
    expect(t).toContain('*Win rate* 20.0% (2 won / 10 closed)\n↓ 20.0 pts vs the week before (40.0%) · ↓ 20.0 pts vs the average of the 4 weeks before (40.0%)');
    expect(t).toContain('*Net revenue* $2,000\n↓ 50.0% vs the week before ($4,000) · ↓ 50.0% vs the average of the 4 weeks before ($4,000)');
    expect(t).toContain('*Average deal size* $1,000 (2 won)');
    expect(t).toContain('*Pacing against quota*\n• *November 2026* to date');
    expect(t).toContain('*Q4 2026 (Oct 1 – Dec 31)* to date');
    expect(t).toMatch(/\*Alerts\* \(2 new, 0 still active\)/);
    expect(t).toContain('Win rate 20.0% is 20.0 points below its average of the 4 weeks before, 40.0% (threshold: 10 points).');
    const images = (blocks as TBlock[]).filter((b) => b.type === 'image');
    expect(images.length).toBeGreaterThanOrEqual(1);
    expect(images.every((i) => i.image_url!.startsWith(`${QUICKCHART}/chart?`) && i.image_url!.length < 3000 && (i.alt_text ?? '').length > 0)).toBe(true);
    expect(text).toMatch(/^Weekly sales digest — week of Nov 23, 2026 \(Europe\/Berlin\), all reps: net revenue \$2,000 \(↓ 50\.0% vs the week before\); win rate 20\.0%/);
    expect(text).toContain('2 alerts');
    expect(await events(workspace)).toHaveLength(2);
    expect(posted.map((p) => p.map((a) => a.rule).sort())).toEqual([['revenue-drop', 'winrate-drop']]);

    // A second channel's digest for the same week lists them as still active and fires nothing.
    const again = await buildWeeklyDigest({ db, workspace, subscription, slotInstant: SLOT, late: false, now: new Date(SLOT.getTime() + 60_000), quickchartUrl: QUICKCHART, render: buildWeeklyDigestMessage, onAlertsFired: async (_w, f) => void posted.push([...f]) });
    expect(textOf(again.blocks)).toMatch(/\*Alerts\* \(0 new, 2 still active\)/);
    expect(posted).toHaveLength(1);
  });

  test('posted late says so and when it was due', async () => {
    const { workspace, subscription } = await setup();
    const { text, blocks } = await buildWeeklyDigest({ db, workspace, subscription, slotInstant: SLOT, late: true, now: new Date('2026-11-30T11:00:00Z'), quickchartUrl: null, render: buildWeeklyDigestMessage });
    const note = 'Posted late because the app was down; scheduled for Mon, Nov 30, 2026 09:00 (Europe/Berlin).';
    expect(textOf(blocks)).toContain(note);
    expect(text).toContain(note);
    expect((blocks as TBlock[]).some((b) => b.type === 'image')).toBe(false);
  });

  test('the preview has the same content, marked preview, and changes no alert state', async () => {
    const { workspace, subscription, manager, alice, bob } = await setup();
    const preview = await buildDigestPreview({ db, workspace, subscription, slotInstant: SLOT, now: SLOT, quickchartUrl: QUICKCHART, render: buildWeeklyDigestMessage });
    expect(preview.text.startsWith('[Preview] Weekly sales digest — week of Nov 23, 2026 (Europe/Berlin)')).toBe(true);
    expect(textOf(preview.blocks)).toContain('*Preview* — only you can see this');
    expect(textOf(preview.blocks)).toMatch(/\*Alerts\* \(2 breached now\)/);
    expect(await events(workspace)).toEqual([]);

    // With events recorded, a preview after the figures recovered does not mark them recovered.
    await buildWeeklyDigest({ db, workspace, subscription, slotInstant: SLOT, late: false, now: SLOT, quickchartUrl: null, render: buildWeeklyDigestMessage });
    await addClosedDeals(db, { workspace, owners: [alice, bob], day: '2026-11-25', won: 3, lost: 0 });
    const before = await events(workspace);
    const p2 = await buildDigestPreview({ db, workspace, subscription, slotInstant: SLOT, now: new Date(SLOT.getTime() + 3_600_000), quickchartUrl: null, render: buildWeeklyDigestMessage });
    expect(textOf(p2.blocks)).toContain('*Alerts*: none right now');
    expect(await events(workspace)).toEqual(before);

    // Snoozed conditions are counted, not listed.
    await addClosedDeals(db, { workspace, owners: [alice, bob], day: '2026-11-26', won: 0, lost: 6 });
    await snoozeAlert({ db, actor: manager, workspace, rule: 'winrate-drop', now: SLOT });
    const p3 = await buildDigestPreview({ db, workspace, subscription, slotInstant: SLOT, now: new Date(SLOT.getTime() + 7_200_000), quickchartUrl: null, render: buildWeeklyDigestMessage });
    expect(textOf(p3.blocks)).toContain('*Alerts*: none right now · 1 snoozed.');
  });

  test('a team digest covers the team and keeps its alerts to itself', async () => {
    const { workspace, subscription } = await setup({ teamScoped: true });
    const fired: TFiredAlert[] = [];
    const { blocks } = await buildWeeklyDigest({ db, workspace, subscription, slotInstant: SLOT, late: false, now: SLOT, quickchartUrl: null, render: buildWeeklyDigestMessage, onAlertsFired: async (_w, f) => void fired.push(...f) });
    expect(textOf(blocks)).toContain('team North · weeks run Monday–Sunday in Europe/Berlin');
    expect(fired).toEqual([]);
    expect((await events(workspace)).every((e) => e.conditionKey.startsWith(`team:${subscription.teamId}`))).toBe(true);
  });

  test('createWeeklyDigestBuilder fits runDigest and /kpi digest: slots build the digest, previews the preview', async () => {
    const { workspace, subscription } = await setup();
    const buildDigest = createWeeklyDigestBuilder({ db, quickchartUrl: QUICKCHART, render: buildWeeklyDigestMessage, now: () => SLOT });
    const sub: DigestSubscription & { workspace: Workspace } = { ...subscription, workspace };
    const preview = await buildDigest(sub, { slotId: 0, scheduledFor: SLOT, late: false, lateByMs: 0, timeZone: 'Europe/Berlin', preview: true });
    expect(preview.text.startsWith('[Preview]')).toBe(true);
    expect(await events(workspace)).toEqual([]);
    const late = await buildDigest(sub, { slotId: 7, scheduledFor: SLOT, late: true, lateByMs: 3 * 3_600_000, timeZone: 'America/New_York', preview: false });
    expect((late.blocks[0] as TBlock).text?.text).toBe('Weekly sales digest — week of Nov 23, 2026 (America/New_York)');
    expect(late.text).toContain('scheduled for Mon, Nov 30, 2026 03:00 (America/New_York)');
    expect(findLimitViolations(late.blocks)).toEqual([]);
    // Alerts were judged in the workspace's zone (Berlin) for the same week.
    expect((await events(workspace)).map((e) => e.periodKey)).toEqual(['2026-W48', '2026-W48']);
  });

  test('channels sharing workspace, scope, KPIs, zone and slot share one computed digest', async () => {
    const { workspace, subscription } = await setup();
    const buildDigest = createWeeklyDigestBuilder({ db, quickchartUrl: QUICKCHART, render: buildWeeklyDigestMessage, now: () => SLOT });
    const slot = { slotId: 1, scheduledFor: SLOT, late: false, lateByMs: 0, timeZone: 'Europe/Berlin', preview: false };
    const a = await buildDigest({ ...subscription, channelId: 'CA', workspace }, slot);
    const b = await buildDigest({ ...subscription, id: subscription.id + 1000, channelId: 'CB', workspace }, { ...slot, slotId: 2 });
    expect(b).toBe(a);
    const other = await buildDigest({ ...subscription, kpis: 'winrate', channelId: 'CC', workspace }, { ...slot, slotId: 3 });
    expect(other).not.toBe(a);
    expect(other.text).not.toBe(a.text);
  });
});
