import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createWeeklyDigestBuilder } from '../../src/domain/digests/build-weekly-digest.js';
import { runDigest } from '../../src/domain/digests/run-digest.js';
import { createLogger } from '../../src/logger.js';
import { buildWeeklyDigestMessage } from '../../src/slack/blocks/digest.js';
import { DeliveryQueue } from '../../src/slack/delivery-queue.js';
import { createDeliveryGateway } from '../../src/slack/gateway.js';
import { findLimitViolations } from '../../src/slack/blocks/limits.js';
import { seedAlertWorkspace } from '../helpers/alert-seed.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

/**
 * Issue #12: a workspace whose language is Vietnamese gets its scheduled weekly digest in
 * Vietnamese, posted through the delivery queue to (fake) Slack: the scheduler's path, with the
 * real builder, renderer and gateway.
 */

const SLOT = new Date('2026-11-30T08:00:00Z'); // Monday 09:00 in Berlin
const QUICKCHART = 'http://127.0.0.1:9/quickchart';

type TBlock = { type: string; text?: { text: string }; elements?: Array<{ text?: string }>; alt_text?: string; title?: { text: string } };
const textOf = (blocks: readonly TBlock[]) =>
  blocks.map((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text ?? ''), b.alt_text ?? '', b.title?.text ?? ''].join('\n')).join('\n');

describe.each(testEngines())('scheduled weekly digest in the workspace language on %s', (dialect) => {
  let database: TestDatabase;
  let fake: FakeSlack;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    fake = await new FakeSlack().start();
  });
  afterAll(async () => {
    await fake?.stop();
    await database?.drop();
  });

  async function postedDigest(language: string, channelId: string) {
    const db = database.db;
    const seeded = await seedAlertWorkspace(db, { timeZone: 'Europe/Berlin' });
    await db.prisma.workspace.update({ where: { id: seeded.workspace.id }, data: { language } });
    // Subscribed the week before: the 09:00 slot of SLOT is due (never before the last change).
    const before = new Date(SLOT.getTime() - 7 * 86_400_000);
    await db.prisma.digestSubscription.create({ data: { workspaceId: seeded.workspace.id, channelId, timeZone: 'Europe/Berlin', createdAt: before, updatedAt: before } });
    const logger = createLogger('error');
    const gateway = createDeliveryGateway({ token: 'xoxb-1234-5678-testtoken', slackApiUrl: fake.apiUrl, logger });
    const queue = new DeliveryQueue({ gateway, db, logger, perChannelIntervalMs: 0 });
    const summary = await runDigest({
      now: SLOT,
      clock: () => SLOT,
      db,
      deliver: queue.deliver,
      buildDigest: createWeeklyDigestBuilder({ db, quickchartUrl: QUICKCHART, render: buildWeeklyDigestMessage, logger, now: () => SLOT }),
      instanceId: `i18n-${dialect}`,
      graceMs: 6 * 3_600_000,
      leaseMs: 60_000,
      logger,
      workspaceIds: new Set([seeded.workspace.id]),
    });
    const call = fake.callsTo('chat.postMessage').find((c) => c.args.channel === channelId);
    expect(call, JSON.stringify(summary)).toBeDefined();
    const raw = call!.args.blocks;
    const blocks = (typeof raw === 'string' ? JSON.parse(raw) : raw) as TBlock[];
    return { text: String(call!.args.text), blocks };
  }

  test('language vi: the channel gets the digest in Vietnamese, with Vietnamese periods and numbers', async () => {
    const { text, blocks } = await postedDigest('vi', 'C0VIDIGEST');
    expect(findLimitViolations(blocks as never)).toEqual([]);
    expect(blocks[0]!.text?.text).toBe('Báo cáo kinh doanh hằng tuần — tuần 48/2026 (23/11 – 29/11) (Europe/Berlin)');
    const t = textOf(blocks);
    expect(t).toContain(':busts_in_silhouette: tất cả nhân viên kinh doanh · tuần tính từ thứ Hai đến Chủ nhật theo múi giờ Europe/Berlin');
    expect(t).toContain('*Tỷ lệ chốt đơn* 20,0% (2 đã chốt / 10 đã kết thúc)\n↓ 20,0 điểm % so với tuần trước đó (40,0%) · ↓ 20,0 điểm % so với trung bình 4 tuần trước đó (40,0%)');
    expect(t).toContain('*Doanh thu thuần* 2.000 US$\n↓ 50,0% so với tuần trước đó (4.000 US$)');
    expect(t).toContain('*Tiến độ so với chỉ tiêu*\n• *tháng 11/2026* đến nay');
    expect(t).toMatch(/\*Cảnh báo\* \(2 mới, 0 vẫn đang hoạt động\)/);
    expect(t).toContain('Doanh thu thuần mỗi tuần, 12 tuần gần nhất');
    expect(t).toContain('Tạo lúc 30/11/2026 09:00');
    expect(text).toMatch(/^Báo cáo kinh doanh hằng tuần — tuần 48\/2026 \(23\/11 – 29\/11\) \(Europe\/Berlin\), tất cả nhân viên kinh doanh: doanh thu thuần 2\.000 US\$ \(↓ 50,0% so với tuần trước đó\)/);
    // The alerts the digest fired were written in the workspace's language too.
    expect(t).toContain(':rotating_light: *Tỷ lệ chốt đơn giảm*: Tỷ lệ chốt đơn 20,0% thấp hơn 20,0 điểm % so với trung bình 4 tuần trước đó, 40,0% (ngưỡng: 10 điểm %).');
    expect(t).toContain(':rotating_light: *Doanh thu thuần giảm*: Doanh thu thuần 2.000 US$ giảm 50,0% so với 4.000 US$ của tuần trước đó (ngưỡng: 10%).');
    for (const english of ['Weekly sales digest', 'Net revenue', 'Win rate', 'vs the week before', 'the average of', 'to date', 'Pacing', 'Top movers', 'Generated', 'threshold', 'below']) expect(t).not.toContain(english);
  });

  test('language en: the same digest stays in English', async () => {
    const { blocks } = await postedDigest('en', 'C0ENDIGEST');
    expect(blocks[0]!.text?.text).toBe('Weekly sales digest — week of Nov 23, 2026 (Europe/Berlin)');
    expect(textOf(blocks)).toContain('*Win rate* 20.0% (2 won / 10 closed)');
  });
});
