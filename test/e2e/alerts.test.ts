import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { runDailyAlerts } from '../../src/scheduler/daily-alerts-job.js';
import { DeliveryQueue } from '../../src/slack/delivery-queue.js';
import { alertsSubcommand } from '../../src/slack/kpi/alerts-subcommand.js';
import { KPI_SUBCOMMANDS } from '../../src/slack/listeners/commands/kpi.js';
import { MONDAY_NOV_30, seedAlertHistory } from '../helpers/alert-seed.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { blockActionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';

type TAnswer = { text: string; blocks?: unknown[]; response_type?: string; replace_original?: boolean };

describe.each(testEngines())('/kpi alerts and the Snooze button end to end on %s', (dialect) => {
  let h: Harness;
  let seq = 0;
  const nextId = () => `a${++seq}`;

  beforeAll(async () => {
    // The app registers both itself: the test only checks they are wired.
    expect(KPI_SUBCOMMANDS).toContain(alertsSubcommand);
    h = await startHarness(dialect);
    h.fake.addUser({ id: 'U0ADMIN', name: 'alice', real_name: 'Alice Admin' });
    h.fake.addUser({ id: 'U0MGR', name: 'mia', real_name: 'Mia Manager' });
    h.fake.addUser({ id: 'U0REP', name: 'bob', real_name: 'Bob Rep' });
    await run('settings', 'U0ADMIN'); // the first person becomes admin
    const granted = await run('role <@U0MGR|mia> manager', 'U0ADMIN');
    expect(granted.text).toContain('manager');
  });
  afterAll(async () => h?.stop());
  beforeEach(() => {
    h.fake.reset();
    h.fake.botInAllChannels = true;
    h.setNow(null);
  });

  async function run(text: string, user: string, extra: Record<string, string> = {}): Promise<TAnswer> {
    const id = nextId();
    const res = await h.slack.command('/kpi', text, { user_id: user, response_url: h.fake.responseUrl(id), ...extra });
    expect(res.status).toBe(200);
    const [answer] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    return answer as TAnswer;
  }
  const workspace = () => h.database.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'T0FAKE' } });
  const settingRows = async () => h.database.db.prisma.alertSetting.findMany({ where: { workspaceId: (await workspace()).id }, orderBy: { rule: 'asc' } });

  test('a rep cannot change thresholds; a manager can, in points and percent', async () => {
    const refused = await run('alerts set winrate-drop 15', 'U0REP');
    expect(refused.response_type).toBe('ephemeral');
    expect(refused.text).toMatch(/Only managers and admins can change alert thresholds/);
    expect(await settingRows()).toEqual([]);

    const points = await run('alerts set winrate-drop 15', 'U0MGR');
    expect(points.text).toContain('now fires at 15 points');
    const pct = await run('alerts set revenue-drop 20%', 'U0MGR');
    expect(pct.text).toContain('now fires at 20%');
    expect((await settingRows()).map((r) => [r.rule, r.threshold, r.enabled])).toEqual([
      ['revenue-drop', 20, true],
      ['winrate-drop', 15, true],
    ]);
    const band = await run('alerts set attainment-band 55% 85%', 'U0MGR');
    expect(band.text).toContain('55%–85%');
    expect(await workspace()).toMatchObject({ attainmentLowBp: 5500, attainmentHighBp: 8500 });

    const list = await run('alerts', 'U0REP');
    expect(list.text).toContain('winrate-drop 15 points');
    expect(list.text).toContain('revenue-drop 20%');
    expect(list.text).toContain('attainment-band 55%–85%');
    expect(JSON.stringify(list.blocks)).toContain('Win rate drop');
  });

  test.each([
    ['alerts set winrate-drop lots', /"lots" is not a threshold for winrate-drop/, '/kpi alerts set winrate-drop 15'],
    ['alerts set weather 5', /"weather" is not an alert rule/, '/kpi alerts set winrate-drop 15'],
    ['alerts set attainment-band 90% 60%', /two percents, low then high/, '/kpi alerts set attainment-band 60% 90%'],
    ['alerts snooze winrate-drop forever', /not a snooze length/, '/kpi alerts snooze winrate-drop 2w'],
    ['alerts channel #sales-alerts', /came through as plain text/, '/kpi alerts channel #sales-alerts'],
    ['alerts dance', /I don't know `\/kpi alerts dance`/, '/kpi alerts set winrate-drop 15'],
  ])('bad input "%s" is refused privately with an example', async (text, pattern, example) => {
    const before = await settingRows();
    const answer = await run(text, 'U0MGR');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(pattern);
    expect(answer.text).toContain(`Example: \`${example}\``);
    expect(JSON.stringify(answer.blocks)).toContain('You typed');
    expect(await settingRows()).toEqual(before);
  });

  test('the alerts channel must be one the bot is in; rules go on and off', async () => {
    h.fake.botInAllChannels = false;
    const outside = await run('alerts channel <#C0ALERTS|sales-alerts>', 'U0MGR');
    expect(outside.text).toMatch(/I'm not in <#C0ALERTS> yet.*\/invite @Sales KPIs/);
    expect((await workspace()).alertsChannelId).toBeNull();
    h.fake.channelsWithBot.add('C0ALERTS');
    const ok = await run('alerts channel <#C0ALERTS|sales-alerts>', 'U0MGR');
    expect(ok.text).toContain('<#C0ALERTS>');
    expect((await workspace()).alertsChannelId).toBe('C0ALERTS');

    expect((await run('alerts off funnel', 'U0MGR')).text).toContain('is now off');
    expect((await settingRows()).find((r) => r.rule === 'funnel-leak')?.enabled).toBe(false);
    expect((await run('alerts on funnel-leak', 'U0MGR')).text).toContain('is now on');
    expect((await run('alerts off funnel-leak', 'U0REP')).text).toMatch(/Only managers and admins/);
    expect((await settingRows()).find((r) => r.rule === 'funnel-leak')?.enabled).toBe(true);
  });

  test('the daily job posts each alert with a Snooze button; a manager snoozes it and the message is replaced', async () => {
    const db = h.database.db;
    const ws = await db.prisma.workspace.update({ where: { slackTeamId: 'T0FAKE' }, data: { alertsChannelId: 'C0ALERTS' } });
    await db.prisma.alertSetting.deleteMany({ where: { workspaceId: ws.id } });
    const ana = await db.prisma.rep.create({ data: { workspaceId: ws.id, name: 'Ana' } });
    const ben = await db.prisma.rep.create({ data: { workspaceId: ws.id, name: 'Ben' } });
    await seedAlertHistory(db, ws, [ana, ben]);

    const logger = createLogger('error', () => undefined);
    const queue = new DeliveryQueue({ gateway: h.kpi.deps.slack, db, logger, perChannelIntervalMs: 0, sleep: async () => undefined });
    const summary = await runDailyAlerts({ db, now: MONDAY_NOV_30, deliver: queue.deliver, logger, workspaceIds: [ws.id], periodKinds: ['week'] });
    expect(summary).toMatchObject({ fired: 2, posted: 2, failed: 0 });
    const posts = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0ALERTS');
    expect(posts).toHaveLength(2);
    const win = posts.find((p) => String(p.args.text).includes('Win rate drop'))!;
    expect(String(win.args.text)).toContain('Win rate 20.0% is 20.0 points below its average of the 4 weeks before, 40.0% (threshold: 10 points).');
    const button = (win.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === 'actions')!.elements![0]!;
    expect(button).toMatchObject({ action_id: 'alert_snooze', value: 'winrate-drop|all' });
    expect(await db.prisma.delivery.count({ where: { workspaceId: ws.id, kind: 'alert', status: 'sent' } })).toBe(2);

    // A rep's click: refused privately, the alert stays.
    const click = (user: string, responseId: string) =>
      h.slack.interaction(blockActionPayload({ userId: user, channelId: 'C0ALERTS', actionId: button.action_id, value: button.value, responseUrl: h.fake.responseUrl(responseId) }));
    expect((await click('U0REP', 'snooze-rep')).status).toBe(200);
    const [refused] = await h.fake.waitFor(() => (h.fake.responsesTo('snooze-rep').length ? h.fake.responsesTo('snooze-rep') : null));
    expect(refused).toMatchObject({ replace_original: false });
    expect(String(refused!.text)).toMatch(/Only managers and admins can snooze alerts/);
    expect(await db.prisma.alertSnooze.count({ where: { workspaceId: ws.id } })).toBe(0);

    // A manager's click: snooze until now + 7 days, message replaced.
    const now = new Date('2026-11-30T10:00:00Z');
    h.setNow(now);
    expect((await click('U0MGR', 'snooze-mgr')).status).toBe(200);
    const [replaced] = await h.fake.waitFor(() => (h.fake.responsesTo('snooze-mgr').length ? h.fake.responsesTo('snooze-mgr') : null));
    expect(replaced).toMatchObject({ replace_original: true });
    expect(String(replaced!.text)).toBe(
      'Snoozed by <@U0MGR> until Mon, Dec 7, 2026 10:00 (UTC): Win rate drop — Win rate 20.0% is 20.0 points below its average of the 4 weeks before, 40.0% (threshold: 10 points).',
    );
    expect(JSON.stringify(replaced!.blocks)).not.toContain('alert_snooze');
    const snoozes = await db.prisma.alertSnooze.findMany({ where: { workspaceId: ws.id } });
    expect(snoozes.map((s) => [s.rule, s.conditionKey, s.until.toISOString(), s.bySlackUserId])).toEqual([['winrate-drop', 'all', '2026-12-07T10:00:00.000Z', 'U0MGR']]);

    // While snoozed the condition stays quiet, and `/kpi alerts` shows the snooze and the active alerts.
    await db.prisma.alertEvent.updateMany({ where: { workspaceId: ws.id }, data: { recoveredAt: now } });
    h.fake.reset();
    const quiet = await runDailyAlerts({ db, now: new Date('2026-12-01T08:00:00Z'), deliver: queue.deliver, logger, workspaceIds: [ws.id], periodKinds: ['week'] });
    expect(quiet).toMatchObject({ fired: 1, snoozed: 1 });
    expect(h.fake.callsTo('chat.postMessage').map((c) => String(c.args.text))).toEqual([expect.stringContaining('Net revenue down')]);
    const list = await run('alerts', 'U0REP');
    expect(JSON.stringify(list.blocks)).toContain('1 condition snoozed');
    expect(list.text).toContain('1 active');
  });
});
