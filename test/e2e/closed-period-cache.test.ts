import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { genericMapping, importDeals, parseCsv } from '../../src/domain/imports/index.js';
import { openDatabase, type Db } from '../../src/storage/db.js';
import { closedPeriodCacheSize } from '../../src/storage/queries/closed-period-cache.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { dealModalValues, viewSubmissionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * The closed-period cache never answers with an old past: each change of October (a backdated
 * deal from the modal, an undo of it, an import run by another process) is followed by
 * `/kpi winrate last month`, which must show the new number. Clock: 2026-11-20 12:00 UTC, so
 * October is a closed period and its aggregates are cached between those changes.
 */
const NOW = new Date('2026-11-20T12:00:00Z');

describe.each(testEngines())('closed-period cache on %s', (dialect) => {
  let h: Harness;
  let other: Db;
  let seq = 0;
  let view = 0;

  async function kpi(text: string, user = 'U0REP'): Promise<string> {
    const id = `c${++seq}`;
    const res = await h.slack.command('/kpi', text, { user_id: user, response_url: h.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    const [answer] = await h.fake.waitFor(() => (h.fake.responsesTo(id).length > 0 ? h.fake.responsesTo(id) : null));
    return String((answer as { text: string }).text);
  }

  async function submitDeal(values: ReturnType<typeof dealModalValues>): Promise<void> {
    const userId = 'U0REP';
    const res = await h.slack.interaction(
      viewSubmissionPayload({ userId, viewId: `VCACHE${++view}`, callbackId: 'deal_modal', privateMetadata: h.seal('deal-modal', JSON.stringify({ channelId: 'C0SALES' }), { userId }), values }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
  }

  const version = async () => (await h.database.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'T0FAKE' } })).historyVersion;

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.setNow(NOW);
    h.fake.addUser({ id: 'U0ADMIN', name: 'alice', real_name: 'Alice Admin', tz: 'UTC' });
    h.fake.addUser({ id: 'U0REP', name: 'bob', real_name: 'Bob Rep', tz: 'UTC' });
    await kpi('settings', 'U0ADMIN');
    other = openDatabase(h.database.url);
  });
  afterAll(async () => {
    await other?.close();
    await h?.stop();
  });

  test('a backdated deal, its undo and an import each change last month’s answer at once', async () => {
    // One won deal in October, then the answer is cached.
    await submitDeal(dealModalValues({ customer: 'Oct Won', amount: '10k', status: 'won', closeDate: '2026-10-10', owner: 'U0REP' }));
    const v1 = await version();
    expect(v1).toBeGreaterThan(0);
    const first = await kpi('winrate last month');
    expect(first).toMatch(/100(\.0)?%/);
    expect(await kpi('winrate last month')).toBe(first);
    expect(closedPeriodCacheSize(h.database.db)).toBeGreaterThan(0);

    // A deal closed today leaves the past (and its cache) alone.
    await submitDeal(dealModalValues({ customer: 'Today Won', amount: '1k', status: 'won', closeDate: '2026-11-20', owner: 'U0REP' }));
    expect(await version()).toBe(v1);

    // A lost deal backdated into October: 1 won of 2 closed.
    await submitDeal(dealModalValues({ customer: 'Oct Lost', amount: '5k', status: 'lost', closeDate: '2026-10-12', owner: 'U0REP' }));
    expect(await version()).toBeGreaterThan(v1);
    expect(await kpi('winrate last month')).toMatch(/50(\.0)?%/);

    // Undo of that backdated deal: back to 100%.
    const undo = await kpi('winrate last month');
    expect(undo).toMatch(/50(\.0)?%/);
    const undoId = `u${++seq}`;
    await h.slack.command('/deal', 'undo', { user_id: 'U0REP', response_url: h.fake.responseUrl(undoId) });
    const [undone] = await h.fake.waitFor(() => (h.fake.responsesTo(undoId).length > 0 ? h.fake.responsesTo(undoId) : null));
    expect(String((undone as { text: string }).text)).toMatch(/Oct Lost/);
    expect(await kpi('winrate last month')).toMatch(/100(\.0)?%/);

    // An import by another process (its own connection): three lost October deals → 1 of 4 = 25%.
    const table = parseCsv(
      ['external_id,owner,customer,amount,status,closed_at', 'L1,Bob Rep,Imp A,1000,lost,2026-10-03', 'L2,Bob Rep,Imp B,1000,lost,2026-10-04', 'L3,Bob Rep,Imp C,1000,lost,2026-10-05'].join('\n'),
      'deals.csv',
    );
    const report = await importDeals({ db: other, workspaceTeamId: 'T0FAKE', rows: table.rows, columns: table.columns, file: table.file, mapping: genericMapping(), now: NOW });
    expect(report.imported).toBe(3);
    expect(await kpi('winrate last month')).toMatch(/25(\.0)?%/);
  });
});
