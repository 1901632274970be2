import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  claimAlertEvents,
  evaluateAlerts,
  fireAlerts,
  markAlertEventsPosted,
  setAlertThreshold,
  snoozeAlert,
  toggleAlertRule,
  type TAlertEvaluation,
} from '../../src/domain/alerts/index.js';
import type { TDeliveryRequest, TDeliveryResult } from '../../src/domain/digests/run-digest.js';
import { createLogger } from '../../src/logger.js';
import { DailyAlertsJob, runDailyAlerts } from '../../src/scheduler/daily-alerts-job.js';
import { postFiredAlerts } from '../../src/slack/post-alerts.js';
import { openDatabase, type Db } from '../../src/storage/db.js';
import type { Workspace } from '../../src/generated/sqlite/client.js';
import { addClosedDeals, addOpenDeal, MONDAY_NOV_30, seedAlertWorkspace } from '../helpers/alert-seed.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const logger = createLogger('error', () => undefined);
const at = (ms: number) => new Date(MONDAY_NOV_30.getTime() + ms);

describe.each(testEngines())('alerts on %s', (dialect) => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = database.db;
  });
  afterAll(async () => database?.drop());

  const evaluate = (workspace: Workspace, now = MONDAY_NOV_30, scope: Parameters<typeof evaluateAlerts>[0]['scope'] = { kind: 'workspace' }) =>
    evaluateAlerts({ db, workspace, now, periodKind: 'week', scope });
  const fire = async (workspace: Workspace, now = MONDAY_NOV_30) => fireAlerts({ db, evaluation: await evaluate(workspace, now), now });
  const rulesOf = (list: ReadonlyArray<{ rule: string }>) => list.map((a) => a.rule).sort();
  const events = (workspace: Workspace) => db.prisma.alertEvent.findMany({ where: { workspaceId: workspace.id }, orderBy: { id: 'asc' } });

  test('evaluation finds the breached rules of last week, with messages naming rule, value and threshold', async () => {
    const { workspace } = await seedAlertWorkspace(db);
    const evaluation: TAlertEvaluation = await evaluate(workspace);
    expect(evaluation.period.key).toBe('2026-W48');
    expect(rulesOf(evaluation.conditions)).toEqual(['revenue-drop', 'winrate-drop']);
    const win = evaluation.conditions.find((c) => c.rule === 'winrate-drop')!;
    expect(win).toMatchObject({ conditionKey: 'all', periodKey: '2026-W48', periodLabel: 'week of Nov 23, 2026', value: 20, threshold: 10, snoozedUntil: null });
    expect(win.message).toBe('Win rate 20.0% is 20.0 points below its average of the 4 weeks before, 40.0% (threshold: 10 points).');
    expect(evaluation.conditions.find((c) => c.rule === 'revenue-drop')!.message).toBe('Net revenue $2,000 is down 50.0% from $4,000 the week before (threshold: 10%).');
    expect(await events(workspace)).toEqual([]); // evaluation writes nothing
  });

  test('a monthly check uses the monthly policy: the pooled win rate of the 3 months before, so named', async () => {
    const { workspace, alice, bob } = await seedAlertWorkspace(db);
    // November (seeded weeks): 14 won / 40 closed = 35.0%. Aug 18/20, Sep 1/10, Oct 4/10 (seeded):
    // pooled 23 / 40 = 57.5% (the mean of the three rates would be 46.7%). July, 0 / 20, is a 4th
    // month back: outside the policy (with it the average would be 38.3% and nothing would fire).
    for (const [day, won, lost] of [['2026-07-15', 0, 20], ['2026-08-12', 18, 2], ['2026-09-15', 1, 9]] as const) {
      await addClosedDeals(db, { workspace, owners: [alice, bob], day, won, lost });
    }
    const evaluation = await evaluateAlerts({ db, workspace, now: new Date('2026-12-02T09:00:00Z'), periodKind: 'month', scope: { kind: 'workspace' } });
    expect(evaluation.period.key).toBe('2026-11');
    const win = evaluation.conditions.find((c) => c.rule === 'winrate-drop');
    expect(win?.message).toBe('Win rate 35.0% is 22.5 points below its average of the 3 months before, 57.5% (threshold: 10 points).');
    expect(win?.value).toBe(22.5);
  });

  test('fires once per condition and period: a repeat in the same period does nothing', async () => {
    const { workspace } = await seedAlertWorkspace(db);
    const first = await fire(workspace);
    expect(rulesOf(first.fired)).toEqual(['revenue-drop', 'winrate-drop']);
    expect(first.fired.every((f) => !f.refired && f.eventId > 0)).toBe(true);
    const again = await fire(workspace, at(HOUR));
    expect(again.fired).toEqual([]);
    expect(rulesOf(again.active)).toEqual(['revenue-drop', 'winrate-drop']);
    const later = await fire(workspace, at(3 * DAY));
    expect(later.fired).toEqual([]);
    const rows = await events(workspace);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.recoveredAt === null && r.periodKey === '2026-W48')).toBe(true);
    expect(rows.find((r) => r.rule === 'winrate-drop')).toMatchObject({ conditionKey: 'all', value: 20, threshold: 10 });
  });

  test('concurrent evaluations fire each condition exactly once', async () => {
    const { workspace } = await seedAlertWorkspace(db);
    const evaluations = await Promise.all([evaluate(workspace), evaluate(workspace), evaluate(workspace)]);
    const results = await Promise.all(evaluations.map((evaluation) => fireAlerts({ db, evaluation, now: MONDAY_NOV_30 })));
    expect(results.reduce((n, r) => n + r.fired.length, 0)).toBe(2);
    expect(await events(workspace)).toHaveLength(2);
  });

  test('recovers when the figures recover, and fires again only after a new breach', async () => {
    const { workspace, alice, bob } = await seedAlertWorkspace(db);
    const first = await fire(workspace);
    expect(first.fired).toHaveLength(2);

    // Late-logged wins for last week: 5 won / 8 lost = 38.5% (1.5 points below), net $5,000 vs $4,000.
    await addClosedDeals(db, { workspace, owners: [alice, bob], day: '2026-11-25', won: 3, lost: 0 });
    const recovered = await fire(workspace, at(DAY));
    expect(recovered).toMatchObject({ fired: [], active: [], recovered: 2 });
    expect((await events(workspace)).every((e) => e.recoveredAt !== null)).toBe(true);
    expect((await fire(workspace, at(DAY + HOUR))).recovered).toBe(0);

    // A new breach: 6 more lost deals → 5 / 19 = 26.3%, 13.7 points below.
    await addClosedDeals(db, { workspace, owners: [alice, bob], day: '2026-11-26', won: 0, lost: 6 });
    const refired = await fire(workspace, at(2 * DAY));
    expect(refired.fired).toHaveLength(1);
    expect(refired.fired[0]).toMatchObject({ rule: 'winrate-drop', refired: true, value: 13.7, eventId: first.fired.find((f) => f.rule === 'winrate-drop')!.eventId });
    const rows = await events(workspace);
    expect(rows).toHaveLength(2);
    const win = rows.find((r) => r.rule === 'winrate-drop')!;
    expect(win.recoveredAt).toBeNull();
    expect(win.firedAt.getTime()).toBe(at(2 * DAY).getTime());
    expect(win.message).toContain('26.3%');
    expect(rows.find((r) => r.rule === 'revenue-drop')!.recoveredAt).not.toBeNull();
    // and then quiet again
    expect((await fire(workspace, at(2 * DAY + HOUR))).fired).toEqual([]);
  });

  test('stays quiet while snoozed (rule-wide or one condition) and fires after the snooze if still breached', async () => {
    const { workspace, manager } = await seedAlertWorkspace(db);
    await snoozeAlert({ db, actor: manager, workspace, rule: 'winrate-drop', now: MONDAY_NOV_30, durationMs: DAY });
    await snoozeAlert({ db, actor: manager, workspace, rule: 'revenue-drop', conditionKey: 'all', now: MONDAY_NOV_30, durationMs: 2 * DAY });
    const snoozedRun = await fire(workspace);
    expect(snoozedRun.fired).toEqual([]);
    expect(rulesOf(snoozedRun.snoozed)).toEqual(['revenue-drop', 'winrate-drop']);
    expect(snoozedRun.snoozed.find((c) => c.rule === 'winrate-drop')!.snoozedUntil).toEqual(at(DAY));
    expect(await events(workspace)).toEqual([]);
    expect((await fire(workspace, at(12 * HOUR))).fired).toEqual([]);

    const afterFirst = await fire(workspace, at(DAY + HOUR));
    expect(rulesOf(afterFirst.fired)).toEqual(['winrate-drop']);
    expect(rulesOf(afterFirst.snoozed)).toEqual(['revenue-drop']);
    const afterBoth = await fire(workspace, at(2 * DAY + HOUR));
    expect(rulesOf(afterBoth.fired)).toEqual(['revenue-drop']);
    expect(await events(workspace)).toHaveLength(2);
  });

  test('a snooze is extended, never shortened, and only managers and admins snooze', async () => {
    const { workspace, manager, alice } = await seedAlertWorkspace(db);
    const a = await snoozeAlert({ db, actor: manager, workspace, rule: 'winrate-drop', now: MONDAY_NOV_30 });
    expect(a.until).toEqual(at(7 * DAY));
    const b = await snoozeAlert({ db, actor: manager, workspace, rule: 'winrate-drop', now: at(DAY), durationMs: HOUR });
    expect(b.until).toEqual(at(7 * DAY));
    const c = await snoozeAlert({ db, actor: manager, workspace, rule: 'winrate-drop', now: at(3 * DAY) });
    expect(c.until).toEqual(at(10 * DAY));
    expect(await db.prisma.alertSnooze.count({ where: { workspaceId: workspace.id } })).toBe(1);
    await expect(snoozeAlert({ db, actor: alice, workspace, rule: 'winrate-drop', now: MONDAY_NOV_30 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  test('thresholds and on/off come from AlertSetting (and the band and multiple from the workspace)', async () => {
    const { workspace, manager, alice } = await seedAlertWorkspace(db);
    expect(rulesOf((await fire(workspace)).fired)).toEqual(['revenue-drop', 'winrate-drop']);

    // 25 points: the 20-point drop no longer crosses it → recovered.
    const s = await setAlertThreshold({ db, actor: manager, workspace, rule: 'winrate-drop', threshold: { kind: 'points', value: 25 }, now: MONDAY_NOV_30 });
    expect(s).toMatchObject({ source: 'override', threshold: { kind: 'points', value: 25 } });
    const raised = await fire(workspace, at(HOUR));
    expect(raised.recovered).toBe(1);
    expect(rulesOf(raised.active)).toEqual(['revenue-drop']);
    const ev = await evaluate(workspace, at(HOUR));
    expect(ev.conditions.map((c) => c.rule)).toEqual(['revenue-drop']);

    // Back to 15: fires again (a new breach after the recovery).
    await setAlertThreshold({ db, actor: manager, workspace, rule: 'winrate-drop', threshold: { kind: 'points', value: 15 }, now: MONDAY_NOV_30 });
    const lowered = await fire(workspace, at(2 * HOUR));
    expect(lowered.fired.map((f) => [f.rule, f.threshold, f.refired])).toEqual([['winrate-drop', 15, true]]);
    expect(lowered.fired[0]!.message).toContain('(threshold: 15 points)');

    // Off: not evaluated, its event left alone; revenue at 60% no longer breached.
    await toggleAlertRule({ db, actor: manager, workspace, rule: 'winrate-drop', enabled: false, now: MONDAY_NOV_30 });
    await setAlertThreshold({ db, actor: manager, workspace, rule: 'revenue-drop', threshold: { kind: 'percent', value: 60 }, now: MONDAY_NOV_30 });
    const off = await fire(workspace, at(3 * HOUR));
    expect(off).toMatchObject({ fired: [], active: [], recovered: 1 });
    expect((await evaluate(workspace, at(3 * HOUR))).evaluated.map((e) => e.rule)).not.toContain('winrate-drop');
    const settings = await db.prisma.alertSetting.findMany({ where: { workspaceId: workspace.id }, orderBy: { rule: 'asc' } });
    expect(settings.map((r) => [r.rule, r.threshold, r.enabled])).toEqual([
      ['revenue-drop', 60, true],
      ['winrate-drop', 15, false],
    ]);

    // The band and the multiple live on the workspace row.
    await setAlertThreshold({ db, actor: manager, workspace, rule: 'attainment-band', threshold: { kind: 'band', lowPct: 55, highPct: 85 }, now: MONDAY_NOV_30 });
    await setAlertThreshold({ db, actor: manager, workspace, rule: 'oversized-deal', threshold: { kind: 'multiple', value: 5 }, now: MONDAY_NOV_30 });
    expect(await db.prisma.workspace.findUniqueOrThrow({ where: { id: workspace.id } })).toMatchObject({ attainmentLowBp: 5500, attainmentHighBp: 8500, oversizeMultiplePct: 500 });
    await expect(setAlertThreshold({ db, actor: alice, workspace, rule: 'winrate-drop', threshold: { kind: 'points', value: 5 }, now: MONDAY_NOV_30 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await db.prisma.auditEntry.count({ where: { workspaceId: workspace.id, entity: 'alertSetting' } })).toBeGreaterThanOrEqual(5);
  });

  test('per-deal and per-rep condition keys; the attainment band; a team scope keeps its own keys', async () => {
    const { workspace, alice, bob, teamId } = await seedAlertWorkspace(db);
    const big = await addOpenDeal(db, { workspace, owner: alice, amountMinor: 500_000n, customer: 'Megacorp' });
    await addOpenDeal(db, { workspace, owner: bob, amountMinor: 300_000n, customer: 'Smallco' });
    // Last week Bob also won 2 × $200: his average $466.67 is 22.2% below the group's $600
    // (Alice has 1 won deal: too few to judge). Win rate 4 / 12 = 33.3%: 6.7 points below, quiet.
    await addClosedDeals(db, { workspace, owners: [bob], day: '2026-11-27', won: 2, lost: 0, amountMinor: 20_000n });
    // Weekly quotas: Alice reaches hers, Bob does not → ratio 50% < 60%.
    for (const [rep, amount] of [
      [alice, 100_000n],
      [bob, 1_000_000n],
    ] as const) {
      await db.prisma.quota.create({ data: { workspaceId: workspace.id, repId: rep.id, periodKind: 'week', periodStart: new Date('2026-11-23T00:00:00Z'), periodEnd: new Date('2026-11-30T00:00:00Z'), amountMinor: amount, currency: 'USD' } });
    }
    const ev = await evaluate(workspace);
    const keys = ev.conditions.map((c) => `${c.rule} ${c.conditionKey} ${c.periodKey}`).sort();
    expect(keys).toEqual([
      'attainment-band all/low 2026-W48',
      `dealsize-below all/rep:${bob.id} 2026-W48`,
      `oversized-deal all/deal:${big} 2026-W49`,
      'revenue-drop all 2026-W48',
    ]);
    expect(ev.conditions.find((c) => c.rule === 'oversized-deal')!.message).toMatch(/^Open deal Megacorp \(\$5,000, Alice, stage Proposal\) is 5\.0× Alice's average won deal \$1,000 \(threshold: 4×\)\./);
    expect(ev.conditions.find((c) => c.rule === 'attainment-band')!.message).toMatch(/^Attainment ratio 50\.0% is below the low threshold 60% \(healthy band 60%–90%\): 1 of 2 reps/);
    expect(ev.conditions.find((c) => c.rule === 'dealsize-below')!.message).toBe("Bob's average deal $466.67 is 22.2% below the group average $600 (threshold: 20%; 3 won deals).");
    expect((await fireAlerts({ db, evaluation: ev, now: MONDAY_NOV_30 })).fired).toHaveLength(4);

    const teamEv = await evaluate(workspace, at(HOUR), { kind: 'team', teamId });
    expect(teamEv.conditions.every((c) => c.conditionKey.startsWith(`team:${teamId}`))).toBe(true);
    const teamRun = await fireAlerts({ db, evaluation: teamEv, now: at(HOUR) });
    expect(teamRun.fired.length).toBeGreaterThan(0);
    expect(teamRun.recovered).toBe(0);
    expect((await events(workspace)).filter((e) => e.conditionKey.startsWith('all')).every((e) => e.recoveredAt === null)).toBe(true);
  });

  describe('daily job', () => {
    function recorder() {
      const sent: TDeliveryRequest[] = [];
      const deliver = async (r: TDeliveryRequest): Promise<TDeliveryResult> => {
        sent.push(r);
        return { status: 'sent', messageTs: `${sent.length}.0001`, attempts: 1, textOnly: false };
      };
      return { sent, deliver };
    }

    test('evaluates workspaces at 08:00 in their own zone and posts each new alert once, with a Snooze button', async () => {
      const berlin = await seedAlertWorkspace(db, { timeZone: 'Europe/Berlin', alertsChannelId: 'C0ALERTS' });
      const ny = await seedAlertWorkspace(db, { timeZone: 'America/New_York', alertsChannelId: 'C0NY' });
      const only = [berlin.workspace.id, ny.workspace.id];
      const { sent, deliver } = recorder();
      // 07:00 UTC = 08:00 in Berlin (CET), 02:00 in New York.
      const run = (now: Date) => runDailyAlerts({ db, now, deliver, logger, periodKinds: ['week'] }).then(async (s) => ({ ...s, mine: sent.filter((r) => only.includes(r.workspaceId)).length }));
      const first = await run(new Date('2026-11-30T07:00:00Z'));
      expect(first.mine).toBe(2);
      expect(sent.every((r) => r.channelId === 'C0ALERTS' && r.kind === 'alert' && typeof r.refId === 'number')).toBe(true);
      const body = JSON.stringify(sent[0]!.message.blocks);
      expect(body).toContain('"action_id":"alert_snooze"');
      expect(body).toMatch(/"value":"(winrate-drop|revenue-drop)\|all"/);
      expect(sent.map((r) => r.message.text).join('\n')).toContain('Win rate 20.0% is 20.0 points below its average of the 4 weeks before, 40.0% (threshold: 10 points).');

      // The same day again (a second instance, a restart inside the hour): nothing new.
      const again = await Promise.all([run(new Date('2026-11-30T07:20:00Z')), run(new Date('2026-11-30T07:40:00Z'))]);
      expect(again.map((a) => a.mine)).toEqual([2, 2]);
      // 08:00 UTC is 09:00 in Berlin: not the alert hour; 13:00 UTC is 08:00 in New York.
      expect((await run(new Date('2026-11-30T08:00:00Z'))).mine).toBe(2);
      await run(new Date('2026-11-30T13:00:00Z'));
      expect(sent.filter((r) => r.channelId === 'C0NY')).toHaveLength(2);
    });

    test('two instances ticking at once post each alert exactly once; no channel → recorded, not posted', async () => {
      const a = await seedAlertWorkspace(db, { timeZone: 'Asia/Ho_Chi_Minh', alertsChannelId: 'C0VN' });
      const b = await seedAlertWorkspace(db, { timeZone: 'Asia/Ho_Chi_Minh', alertsChannelId: null });
      const { sent, deliver } = recorder();
      const now = new Date('2026-11-30T01:00:00Z'); // 08:00 in Ho Chi Minh City
      const clock = () => now;
      const jobs = [new DailyAlertsJob({ db, deliver, logger, now: clock, periodKinds: ['week'] }), new DailyAlertsJob({ db, deliver, logger, now: clock, periodKinds: ['week'] })];
      await Promise.all(jobs.map((j) => j.tick()));
      expect(sent.filter((r) => r.workspaceId === a.workspace.id)).toHaveLength(2);
      expect(sent.filter((r) => r.workspaceId === b.workspace.id)).toHaveLength(0);
      expect(await db.prisma.alertEvent.count({ where: { workspaceId: b.workspace.id } })).toBe(2);
      await Promise.all(jobs.map((j) => j.stop()));
    });

    test('OAuth mode: a workspace no active installation serves (uninstalled) gets no alert; served again, it does', async () => {
      const gone = await seedAlertWorkspace(db, { timeZone: 'Asia/Ho_Chi_Minh', alertsChannelId: 'C0GONE' });
      const { sent, deliver } = recorder();
      const now = new Date('2026-11-30T01:00:00Z'); // 08:00 in Ho Chi Minh City
      const served = new Set<number>();
      const job = new DailyAlertsJob({ db, deliver, logger, now: () => now, periodKinds: ['week'], servedWorkspaces: async () => served });
      await job.tick();
      expect(sent.filter((r) => r.workspaceId === gone.workspace.id)).toHaveLength(0);
      expect(await db.prisma.alertEvent.count({ where: { workspaceId: gone.workspace.id } })).toBe(0);
      served.add(gone.workspace.id); // reinstalled
      await job.tick();
      expect(sent.filter((r) => r.workspaceId === gone.workspace.id).length).toBeGreaterThan(0);
      await job.stop();
    });

    test('monthly evaluation runs beside the weekly one', async () => {
      const { workspace } = await seedAlertWorkspace(db, { timeZone: 'UTC', alertsChannelId: 'C0M' });
      const { deliver } = recorder();
      const s = await runDailyAlerts({ db, now: new Date('2026-12-01T08:10:00Z'), deliver, logger, workspaceIds: [workspace.id] });
      expect(s.errors).toBe(0);
      const keys = (await events(workspace)).map((e) => e.periodKey);
      expect(keys.every((k) => k === '2026-11' || k === '2026-W48' || k === '2026-W49')).toBe(true);
    });
  });
  describe('alerts owed a post (fired, not yet delivered)', () => {
    type TOutcome = 'sent' | 'transient' | 'permanent' | 'throw';
    /** A delivery port whose outcome the test sets; records what reached "Slack". */
    function slack(initial: TOutcome = 'sent') {
      const posted: TDeliveryRequest[] = [];
      const attempts: TDeliveryRequest[] = [];
      let outcome = initial;
      const deliver = async (r: TDeliveryRequest): Promise<TDeliveryResult> => {
        attempts.push(r);
        if (outcome === 'throw') throw new Error('process killed mid-post');
        if (outcome === 'transient') return { status: 'failed', error: 'http_503; gave up after 5 attempts', attempts: 5, permanent: false, subscriptionDisabled: false };
        if (outcome === 'permanent') return { status: 'failed', error: 'channel_not_found', attempts: 1, permanent: true, subscriptionDisabled: false };
        posted.push(r);
        return { status: 'sent', messageTs: `${posted.length}.0001`, attempts: 1, textOnly: false };
      };
      return { posted, attempts, deliver, set: (o: TOutcome) => void (outcome = o) };
    }
    const tick = (workspace: Workspace, now: Date, deliver: (r: TDeliveryRequest) => Promise<TDeliveryResult>, onDb: Db = db) =>
      runDailyAlerts({ db: onDb, now, deliver, logger, workspaceIds: [workspace.id], periodKinds: ['week'] });

    test('a failed delivery leaves the alerts unposted; the next tick posts them, once', async () => {
      const { workspace } = await seedAlertWorkspace(db, { alertsChannelId: 'C0OWED' });
      const s = slack('transient');
      const first = await tick(workspace, MONDAY_NOV_30, s.deliver);
      expect(first).toMatchObject({ fired: 2, posted: 0, failed: 2 });
      expect(s.attempts.map((r) => r.timeBudgetMs)).toEqual([expect.any(Number), expect.any(Number)]);
      expect(s.attempts.every((r) => r.timeBudgetMs! > 0 && r.timeBudgetMs! <= 9 * 60_000)).toBe(true);
      let rows = await events(workspace);
      expect(rows.map((r) => [r.postedAt, r.postingUntil])).toEqual([
        [null, null],
        [null, null],
      ]);

      s.set('sent');
      const second = await tick(workspace, at(HOUR), s.deliver);
      expect(second).toMatchObject({ fired: 0, posted: 2, failed: 0 });
      expect(s.posted.map((r) => r.refId).sort()).toEqual(rows.map((r) => r.id).sort());
      expect(s.posted.every((r) => r.channelId === 'C0OWED' && r.kind === 'alert')).toBe(true);
      expect(s.posted.map((r) => r.message.text).join('\n')).toContain('Alert: Win rate drop (week of Nov 23, 2026, UTC)');
      rows = await events(workspace);
      expect(rows.every((r) => r.postedAt?.getTime() === at(HOUR).getTime() && r.postingUntil === null)).toBe(true);

      expect(await tick(workspace, at(2 * HOUR), s.deliver)).toMatchObject({ posted: 0, failed: 0 });
      expect(s.posted).toHaveLength(2);
    });

    test('a permanent failure is tried again hours later, not every tick', async () => {
      const { workspace } = await seedAlertWorkspace(db, { alertsChannelId: 'C0GONE' });
      const s = slack('permanent');
      expect(await tick(workspace, MONDAY_NOV_30, s.deliver)).toMatchObject({ posted: 0, failed: 2 });
      s.set('sent');
      expect(await tick(workspace, at(HOUR), s.deliver)).toMatchObject({ posted: 0, failed: 0 });
      expect(await tick(workspace, at(7 * HOUR), s.deliver)).toMatchObject({ posted: 2 });
      expect((await events(workspace)).every((r) => r.postedAt !== null)).toBe(true);
    });

    test('fired by a digest whose post failed, or by an instance that died before posting: the daily tick posts them once', async () => {
      const { workspace } = await seedAlertWorkspace(db, { alertsChannelId: 'C0DIGEST' });
      // The digest fires and its onAlertsFired post crashes.
      const { fired } = await fire(workspace);
      const s = slack('throw');
      expect(await postFiredAlerts({ db, deliver: s.deliver, workspace, fired, logger, now: MONDAY_NOV_30 })).toMatchObject({ posted: 0, failed: 2 });
      // An instance claims them and dies mid-post: its claim holds until the lease ends.
      const claim = await claimAlertEvents({ db, eventIds: fired.map((f) => f.eventId), now: at(MINUTE) });
      expect(claim.eventIds).toHaveLength(2);
      s.set('sent');
      expect(await tick(workspace, at(5 * MINUTE), s.deliver)).toMatchObject({ posted: 0 });
      expect(await tick(workspace, at(HOUR), s.deliver)).toMatchObject({ posted: 2, failed: 0 });
      expect(await tick(workspace, at(2 * HOUR), s.deliver)).toMatchObject({ posted: 0 });
      expect(s.posted).toHaveLength(2);
      // The dead instance's claim is gone: it cannot mark them (nor release them) any more.
      expect(await markAlertEventsPosted({ db, eventIds: claim.eventIds, leaseUntil: claim.leaseUntil, now: at(3 * HOUR) })).toBe(0);
    });

    test('posted, then the instance died before marking: the Delivery row settles it, no second post', async () => {
      const { workspace } = await seedAlertWorkspace(db, { alertsChannelId: 'C0CRASH' });
      const { fired } = await fire(workspace);
      const claim = await claimAlertEvents({ db, eventIds: fired.map((f) => f.eventId), now: at(MINUTE) });
      // Slack accepted the first alert and the queue recorded it; then the process died.
      const [done, notYet] = claim.eventIds;
      await db.prisma.delivery.create({ data: { workspaceId: workspace.id, channelId: 'C0CRASH', kind: 'alert', refId: done!, status: 'sent', messageTs: '5.5', createdAt: at(2 * MINUTE) } });
      // A post of an earlier firing (before it recovered and fired again) does not count.
      await db.prisma.delivery.create({ data: { workspaceId: workspace.id, channelId: 'C0CRASH', kind: 'alert', refId: notYet!, status: 'sent', messageTs: '4.4', createdAt: at(-DAY) } });
      const s = slack('sent');
      expect(await tick(workspace, at(HOUR), s.deliver)).toMatchObject({ posted: 1, failed: 0 });
      expect(s.posted.map((r) => r.refId)).toEqual([notYet]);
      const rows = await events(workspace);
      expect(rows.every((r) => r.postedAt?.getTime() === at(HOUR).getTime() && r.postingUntil === null)).toBe(true);
    });

    test('two instances ticking at once post each owed alert exactly once', async () => {
      const { workspace } = await seedAlertWorkspace(db, { alertsChannelId: 'C0RACE' });
      const s = slack('transient');
      await tick(workspace, MONDAY_NOV_30, s.deliver);
      s.set('sent');
      const other = openDatabase(database.url);
      try {
        const results = await Promise.all([tick(workspace, at(HOUR), s.deliver), tick(workspace, at(HOUR), s.deliver, other), tick(workspace, at(HOUR), s.deliver)]);
        expect(results.reduce((n, r) => n + r.posted, 0)).toBe(2);
      } finally {
        await other.close();
      }
      expect(s.posted).toHaveLength(2);
      expect(new Set(s.posted.map((r) => r.refId)).size).toBe(2);
      expect((await events(workspace)).every((r) => r.postedAt !== null)).toBe(true);
    });

    test('not owed: recovered, snoozed, rule off, older than 7 days, team-scoped; no channel → settled without a post', async () => {
      const { workspace, manager, teamId } = await seedAlertWorkspace(db, { alertsChannelId: 'C0RULES' });
      const s = slack('transient');
      await tick(workspace, MONDAY_NOV_30, s.deliver);
      const team = await fireAlerts({ db, evaluation: await evaluate(workspace, MONDAY_NOV_30, { kind: 'team', teamId }), now: MONDAY_NOV_30 });
      expect(team.fired.length).toBeGreaterThan(0);
      s.set('sent');
      // Snoozed win rate; revenue recovered (a 50% drop no longer crosses a 60% threshold).
      await snoozeAlert({ db, actor: manager, workspace, rule: 'winrate-drop', now: at(HOUR), durationMs: DAY });
      await setAlertThreshold({ db, actor: manager, workspace, rule: 'revenue-drop', threshold: { kind: 'percent', value: 60 }, now: MONDAY_NOV_30 });
      await fireAlerts({ db, evaluation: await evaluate(workspace, at(2 * HOUR)), now: at(2 * HOUR) });
      await runDailyAlerts({ db, now: at(2 * HOUR), deliver: s.deliver, logger, workspaceIds: [workspace.id], periodKinds: [] });
      expect(s.posted).toEqual([]);
      const rows = await events(workspace);
      expect(rows.find((r) => r.conditionKey === 'all' && r.rule === 'revenue-drop')!.recoveredAt).not.toBeNull();
      expect(rows.every((r) => r.postedAt === null)).toBe(true);

      // Rule turned off while the snooze runs out: still not posted.
      await toggleAlertRule({ db, actor: manager, workspace, rule: 'winrate-drop', enabled: false, now: MONDAY_NOV_30 });
      await runDailyAlerts({ db, now: at(DAY + HOUR), deliver: s.deliver, logger, workspaceIds: [workspace.id], periodKinds: [] });
      expect(s.posted).toEqual([]);
      // On again after the snooze: owed, posted — but not once 7 days have passed.
      await toggleAlertRule({ db, actor: manager, workspace, rule: 'winrate-drop', enabled: true, now: MONDAY_NOV_30 });
      const late = await runDailyAlerts({ db, now: at(8 * DAY), deliver: s.deliver, logger, workspaceIds: [workspace.id], periodKinds: [] });
      expect(late.posted).toBe(0);
      const inTime = await runDailyAlerts({ db, now: at(DAY + 2 * HOUR), deliver: s.deliver, logger, workspaceIds: [workspace.id], periodKinds: [] });
      expect(inTime.posted).toBe(1);
      expect(s.posted.map((r) => String(r.message.text))).toEqual([expect.stringContaining('Win rate drop')]);
      // Team-scoped alerts are never posted to the alerts channel (their team's digest lists them).
      expect((await events(workspace)).filter((r) => r.conditionKey.startsWith('team:')).every((r) => r.postedAt === null)).toBe(true);

      // No alerts channel: fired alerts count as posted (digest and /kpi alerts only), nothing sent.
      const quiet = await seedAlertWorkspace(db, { alertsChannelId: null });
      const q = slack('sent');
      expect(await tick(quiet.workspace, MONDAY_NOV_30, q.deliver)).toMatchObject({ fired: 2, posted: 0, failed: 0 });
      expect(q.attempts).toEqual([]);
      expect((await events(quiet.workspace)).every((r) => r.postedAt?.getTime() === MONDAY_NOV_30.getTime())).toBe(true);
      // Choosing a channel later does not post that backlog.
      await db.prisma.workspace.update({ where: { id: quiet.workspace.id }, data: { alertsChannelId: 'C0LATER' } });
      expect(await tick(quiet.workspace, at(HOUR), q.deliver)).toMatchObject({ posted: 0 });
    });

    test('an alert that fires again after recovering is owed a post again', async () => {
      const { workspace, alice, bob } = await seedAlertWorkspace(db, { alertsChannelId: 'C0AGAIN' });
      const s = slack('sent');
      expect(await tick(workspace, MONDAY_NOV_30, s.deliver)).toMatchObject({ posted: 2 });
      await addClosedDeals(db, { workspace, owners: [alice, bob], day: '2026-11-25', won: 3, lost: 0 });
      expect(await tick(workspace, at(DAY), s.deliver)).toMatchObject({ recovered: 2, posted: 0 });
      await addClosedDeals(db, { workspace, owners: [alice, bob], day: '2026-11-26', won: 0, lost: 6 });
      expect(await tick(workspace, at(2 * DAY), s.deliver)).toMatchObject({ fired: 1, posted: 1 });
      expect(s.posted.at(-1)!.message.text).toContain('26.3%');
    });
  });
});
