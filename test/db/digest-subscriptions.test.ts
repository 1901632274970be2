import { MemberCache } from '../../src/domain/workspaces/member-cache.js';
import { ValueSealer } from '../../src/slack/sealed-values.js';
import type { SlashCommand } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { TDigestSlotInfo } from '../../src/domain/digests/run-digest.js';
import { ensureMember, type TMember } from '../../src/domain/workspaces/ensure-member.js';
import { createLogger } from '../../src/logger.js';
import type { AppDeps } from '../../src/slack/context.js';
import { SlackGateway } from '../../src/slack/gateway.js';
import { createDigestSubcommand, parseSubscribeArgs } from '../../src/slack/kpi/digest-subcommands.js';
import { tokenize } from '../../src/domain/deals/parse-deal-command.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { newTriggerId } from '../helpers/slack-requests.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const NOW = new Date('2026-11-27T19:00:00Z'); // a Friday

describe('parseSubscribeArgs', () => {
  test.each<[string[], Partial<ReturnType<typeof parseSubscribeArgs>>]>([
    [['<#C123|sales>'], { channelId: 'C123', weekday: undefined, localTime: undefined, timeZone: undefined }],
    [['<#C123|sales>', 'tue', '8:30', 'Europe/Berlin'], { channelId: 'C123', weekday: 2, localTime: '08:30', timeZone: 'Europe/Berlin' }],
    [['Europe/Berlin', '5pm', '<#C123>', 'Fridays'], { channelId: 'C123', weekday: 5, localTime: '17:00', timeZone: 'Europe/Berlin' }],
    [['here', 'utc'], { channelId: 'C0HERE', timeZone: 'UTC' }],
    [['monday'], { channelId: 'C0HERE', weekday: 1 }],
  ])('%j', (args, expected) => {
    expect(parseSubscribeArgs(args, 'C0HERE')).toMatchObject(expected);
  });

  test.each([
    [['<#C123>', 'Mars/Olympus'], /not a time zone/],
    [['#sales'], /plain text/],
    [['<#C123>', 'fortnightly'], /didn't understand "fortnightly"/],
  ])('%j is refused', (args, message) => {
    expect(() => parseSubscribeArgs(args, 'C0HERE')).toThrow(message);
  });
});

describe.each(testEngines())('/kpi digest on %s', (dialect) => {
  let fake: FakeSlack;
  let database: TestDatabase;
  let deps: AppDeps;
  let admin: TMember;
  let rep: TMember;
  const previews: TDigestSlotInfo[] = [];
  const digest = createDigestSubcommand({
    buildDigest: async (sub, slot) => {
      previews.push(slot);
      return { text: `Preview for <#${sub.channelId}> (${slot.timeZone})`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'preview' } }] };
    },
  });

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    database = await createTestDatabase(dialect);
    const logger = createLogger('error');
    const client = new WebClient('xoxb-1234-5678-testtoken', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    deps = { db: database.db, slack: new SlackGateway(client, logger), config: { TZ_DEFAULT: 'Europe/Berlin', CURRENCY_DEFAULT: 'EUR', QUICKCHART_URL: 'http://127.0.0.1:9' }, logger, now: () => NOW, members: new MemberCache(), sealer: new ValueSealer(Buffer.alloc(32, 7)) };
    const member = (userId: string) =>
      ensureMember({ db: database.db, teamId: 'T0DIGEST', userId, defaults: { timeZone: 'Europe/Berlin', currency: 'EUR' }, lookupProfile: async () => ({ name: userId, timeZone: 'UTC', isSlackAdmin: false }) });
    admin = await member('U0ADMIN'); // first contact: admin
    rep = await member('U0REP');
  });
  afterAll(async () => {
    await fake?.stop();
    await database?.drop();
  });
  beforeEach(async () => {
    fake.botInAllChannels = true;
    fake.channelsWithBot.clear();
    fake.off('conversations.info');
    await database.db.prisma.digestSubscription.deleteMany();
  });

  function run(who: TMember, text: string, channelId = 'C0SALES') {
    const command: SlashCommand = {
      token: 't',
      command: '/kpi',
      text,
      response_url: fake.responseUrl('x'),
      // Each call is a new request (the same trigger id would be a repeated delivery).
      trigger_id: newTriggerId(),
      user_id: who.rep.slackUserId ?? '',
      user_name: 'x',
      team_id: 'T0DIGEST',
      team_domain: 'fake',
      channel_id: channelId,
      channel_name: 'sales',
      api_app_id: 'A0KPI',
    };
    const tokens = tokenize(text);
    return digest.run({ deps, command, member: who, args: tokens.slice(1) });
  }

  test('reps cannot subscribe channels; managers and admins can', async () => {
    await expect(run(rep, 'digest subscribe <#C0SALES|sales>')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await database.db.prisma.digestSubscription.count()).toBe(0);
  });

  test('subscribe with the defaults: Monday 09:00 in the workspace zone; audited', async () => {
    const answer = await run(admin, 'digest subscribe <#C0SALES|sales>');
    expect(answer?.text).toBe('Subscribed: <#C0SALES> gets the weekly sales digest every Monday at 09:00 (Europe/Berlin). Next one: Mon, Nov 30, 2026 09:00 (Europe/Berlin).');
    const sub = await database.db.prisma.digestSubscription.findFirstOrThrow();
    expect(sub).toMatchObject({ channelId: 'C0SALES', weekday: 1, localTime: '09:00', timeZone: 'Europe/Berlin', active: true, createdBySlackUserId: 'U0ADMIN' });
    const audit = await database.db.prisma.auditEntry.findFirstOrThrow({ where: { entity: 'digestSubscription', entityId: sub.id } });
    expect(audit).toMatchObject({ action: 'create', actorSlackUserId: 'U0ADMIN' });
    // Changing the schedule updates the same subscription.
    const changed = await run(admin, 'digest subscribe <#C0SALES|sales> thursday 4:30pm America/New_York');
    expect(changed?.text).toContain('Updated: <#C0SALES> gets the weekly sales digest every Thursday at 16:30 (America/New_York). Next one: Thu, Dec 3, 2026 16:30 (America/New_York).');
    expect(await database.db.prisma.digestSubscription.count()).toBe(1);
  });

  test('the bot must be in the channel: otherwise it says how to invite it, and saves nothing', async () => {
    fake.botInAllChannels = false;
    await expect(run(admin, 'digest subscribe <#C0QUIET|quiet>')).rejects.toMatchObject({ code: 'NOT_IN_CHANNEL', message: expect.stringContaining('/invite @Sales KPIs') });
    fake.on('conversations.info', () => ({ ok: false, error: 'channel_not_found' }));
    await expect(run(admin, 'digest subscribe <#G0SECRET|secret>')).rejects.toMatchObject({ code: 'NOT_IN_CHANNEL', message: expect.stringContaining('private channel') });
    fake.on('conversations.info', (args) => ({ ok: true, channel: { id: args.channel, is_member: true, is_archived: true } }));
    await expect(run(admin, 'digest subscribe <#C0OLD|old>')).rejects.toMatchObject({ message: expect.stringContaining('archived') });
    expect(await database.db.prisma.digestSubscription.count()).toBe(0);
  });

  test('bad input is explained', async () => {
    await expect(run(admin, 'digest subscribe <#C0SALES> Mars/Olympus')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('time zone') });
    await expect(run(admin, 'digest frobnicate')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  test('list shows the next run in each zone and the last delivery; unsubscribe removes it from the list', async () => {
    await run(admin, 'digest subscribe <#C0SALES|sales>');
    await run(admin, 'digest subscribe <#C0NYC|nyc> mon 9am America/New_York');
    await run(admin, 'digest subscribe <#C0GONE|gone>');
    const sales = await database.db.prisma.digestSubscription.findFirstOrThrow({ where: { channelId: 'C0SALES' } });
    await database.db.prisma.digestSlot.create({ data: { subscriptionId: sales.id, scheduledFor: new Date('2026-11-23T08:00:00Z'), status: 'sent', late: true, sentAt: new Date('2026-11-23T10:00:00Z'), attempts: 1 } });
    await database.db.prisma.digestSubscription.updateMany({ where: { channelId: 'C0GONE' }, data: { active: false, disabledReason: 'not_in_channel' } });
    let answer = await run(rep, 'digest list');
    expect(answer?.text).toContain('<#C0SALES> — every Monday at 09:00 (Europe/Berlin)\n   next Mon, Nov 30, 2026 09:00 (Europe/Berlin) · :white_check_mark: last sent for Mon, Nov 23, 2026 09:00 (Europe/Berlin) (posted late)');
    expect(answer?.text).toContain('<#C0NYC> — every Monday at 09:00 (America/New_York)\n   next Mon, Nov 30, 2026 09:00 (America/New_York) · no digest posted yet');
    expect(answer?.text).toContain('*Off*: I was removed from the channel. Invite me with `/invite @Sales KPIs`');

    await expect(run(rep, 'digest unsubscribe <#C0NYC|nyc>')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await run(admin, 'digest unsubscribe <#C0NYC|nyc>'))?.text).toBe('Unsubscribed: <#C0NYC> no longer gets the weekly sales digest.');
    await expect(run(admin, 'digest unsubscribe <#C0NYC|nyc>')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    answer = await run(admin, 'digest list');
    expect(answer?.text).not.toContain('C0NYC');
    expect(await database.db.prisma.digestSubscription.findFirstOrThrow({ where: { channelId: 'C0NYC' } })).toMatchObject({ active: false, disabledReason: 'unsubscribed' });
    // Subscribing again turns it back on.
    await run(admin, 'digest subscribe <#C0NYC|nyc>');
    expect(await database.db.prisma.digestSubscription.findFirstOrThrow({ where: { channelId: 'C0NYC' } })).toMatchObject({ active: true, disabledReason: null });
  });

  test('bare /kpi digest previews privately with the injected builder, for this channel', async () => {
    previews.length = 0;
    const answer = await run(rep, 'digest', 'C0ANY');
    expect(answer?.text).toBe('Preview for <#C0ANY> (Europe/Berlin)');
    expect(previews).toEqual([{ slotId: 0, scheduledFor: NOW, late: false, lateByMs: 0, timeZone: 'Europe/Berlin', preview: true }]);
    await run(admin, 'digest subscribe <#C0NYC|nyc> mon 9am America/New_York');
    expect((await run(rep, 'digest', 'C0NYC'))?.text).toBe('Preview for <#C0NYC> (America/New_York)');
  });

  test('the default preview is the placeholder header', async () => {
    const answer = await createDigestSubcommand().run({ deps, command: { channel_id: 'C0SALES', user_id: 'U0REP' } as SlashCommand, member: rep, args: [] });
    expect(answer?.text).toBe('Weekly sales digest for <#C0SALES> — week of Nov 16, 2026 (Europe/Berlin)');
  });
});
