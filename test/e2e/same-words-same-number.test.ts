import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatMoney, formatPercent } from '../../src/domain/money.js';
import { renderMessageAsText } from '../../src/slack/blocks/render-text.js';
import type { SlackBlocks } from '../../src/slack/gateway.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * Issue 9's rule through the real signed HTTP path: the same words print the same number on every
 * surface (`/kpi dealsize`, `/kpi plan`, the `/kpi digest` preview, the App Home), and that number is
 * the POOLED trailing average (Σ won amount ÷ Σ won deals, Σ net ÷ Σ quota, Σ won ÷ Σ closed)
 * computed here by hand, not the mean of the periods' own averages.
 *
 * Workspace T0FAKE, UTC, USD, one rep (bob), clock Wed 2026-11-18 12:00 UTC:
 * - "this month" = November; its policy: the 3 months before = Aug, Sep, Oct.
 * - the digest's week = last week, W46 (Nov 9–16); its policy: the 4 weeks before = W42–W45 (Oct 12 – Nov 9),
 *   the same periods `/kpi dealsize last week` uses.
 * Won deals (created 2 days before closing, same month):
 *   Aug 10 $10,000 · Sep 7, 14, 21 $2,000 each · Oct 14 $3,000, Oct 15 $1,000, Oct 28 $1,000 ·
 *   Nov 4 $8,000 · Nov 10 $5,000.  Lost: Sep 3, Oct 20, Nov 11.
 * Quotas (monthly): Aug $20,000, Sep $20,000, Oct $31,000 ($1,000 a day), Nov $60,000 ($2,000 a day).
 */

const NOW = new Date('2026-11-18T12:00:00Z');

interface TSeedDeal {
  readonly closed: string;
  readonly usd: number;
  readonly status: 'won' | 'lost';
}

const DEALS: readonly TSeedDeal[] = [
  { closed: '2026-08-10', usd: 10_000, status: 'won' },
  { closed: '2026-09-03', usd: 4_000, status: 'lost' },
  { closed: '2026-09-07', usd: 2_000, status: 'won' },
  { closed: '2026-09-14', usd: 2_000, status: 'won' },
  { closed: '2026-09-21', usd: 2_000, status: 'won' },
  { closed: '2026-10-14', usd: 3_000, status: 'won' },
  { closed: '2026-10-15', usd: 1_000, status: 'won' },
  { closed: '2026-10-20', usd: 4_000, status: 'lost' },
  { closed: '2026-10-28', usd: 1_000, status: 'won' },
  { closed: '2026-11-04', usd: 8_000, status: 'won' },
  { closed: '2026-11-10', usd: 5_000, status: 'won' },
  { closed: '2026-11-11', usd: 4_000, status: 'lost' },
];

const at = (day: string) => new Date(`${day}T10:00:00Z`);
const within = (from: string, to: string) => (x: TSeedDeal) => at(x.closed) >= new Date(`${from}T00:00:00Z`) && at(x.closed) < new Date(`${to}T00:00:00Z`);
const won = (xs: readonly TSeedDeal[]) => xs.filter((x) => x.status === 'won');
/** Pooled average deal in cents, rounded half up: Σ amount ÷ Σ count. */
const pooledAverageCents = (xs: readonly TSeedDeal[]) => Math.round((won(xs).reduce((s, x) => s + x.usd, 0) * 100) / won(xs).length);
/** What the old code printed in places: the mean of each period's own average. */
const meanOfAveragesCents = (groups: ReadonlyArray<readonly TSeedDeal[]>) => {
  const avgs = groups.filter((g) => won(g).length > 0).map(pooledAverageCents);
  return Math.round(avgs.reduce((s, a) => s + a, 0) / avgs.length);
};
const usd = (cents: number) => formatMoney(BigInt(cents), 'USD');
/** A dollar amount as printed: `$3,000`, `$3,666.67`. */
const MONEY = String.raw`\$\d{1,3}(?:,\d{3})*(?:\.\d{2})?`;

describe.each(testEngines())('the same words print the same number on every surface, on %s', (dialect) => {
  let h: Harness;
  let seq = 0;

  async function run(text: string, user = 'U0ADMIN'): Promise<{ text: string; shown: string }> {
    const id = `s${++seq}`;
    const res = await h.slack.command('/kpi', text, { user_id: user, response_url: h.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    const [answer] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    const a = answer as unknown as { text: string; blocks?: SlackBlocks };
    return { text: a.text, shown: renderMessageAsText({ text: a.text, ...(a.blocks ? { blocks: a.blocks } : {}) }) };
  }

  async function home(userId: string): Promise<string> {
    h.fake.reset();
    const body = JSON.stringify({
      token: 'legacy',
      team_id: 'T0FAKE',
      api_app_id: 'A0KPI',
      type: 'event_callback',
      event_id: `EvSame${++seq}`,
      event_time: Math.floor(NOW.getTime() / 1000),
      event: { type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home', event_ts: `${NOW.getTime() / 1000}` },
      authorizations: [{ team_id: 'T0FAKE', user_id: 'UBOT', is_bot: true }],
    });
    expect((await h.slack.post(body, { contentType: 'application/json' })).status).toBe(200);
    const publish = await h.fake.waitFor(() => h.fake.callsTo('views.publish').find((c) => c.args.user_id === userId));
    return renderMessageAsText({ text: '', blocks: (publish.args.view as { blocks: SlackBlocks }).blocks });
  }

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.setNow(NOW);
    h.fake.addUser({ id: 'U0ADMIN', name: 'alice', real_name: 'Alice Admin', tz: 'UTC' });
    h.fake.addUser({ id: 'U0REP', name: 'bob', real_name: 'Bob Rep', tz: 'UTC' });
    await run('settings timezone UTC');
    // Quotas through the command (it also records bob as a rep).
    for (const [amount, month] of [['20k', '2026-08'], ['20k', '2026-09'], ['31k', '2026-10'], ['60k', '2026-11']] as const) {
      expect((await run(`quota set <@U0REP|bob> ${amount} ${month}`)).text).toContain('Quota set');
    }
    const p = h.database.db.prisma;
    const ws = await p.workspace.findUniqueOrThrow({ where: { slackTeamId: 'T0FAKE' } });
    const bob = await p.rep.findFirstOrThrow({ where: { workspaceId: ws.id, slackUserId: 'U0REP' } });
    await p.deal.createMany({
      data: DEALS.map((x, i) => ({
        workspaceId: ws.id,
        ownerId: bob.id,
        customer: `Customer ${i + 1}`,
        amountMinor: BigInt(x.usd * 100),
        currency: 'USD',
        amountReportingMinor: BigInt(x.usd * 100),
        type: 'new',
        status: x.status,
        stage: x.status,
        maxStageIndex: x.status === 'won' ? 4 : 2,
        createdAt: new Date(at(x.closed).getTime() - 2 * 86_400_000),
        closedAt: at(x.closed),
        source: 'import',
      })),
    });
  });
  afterAll(async () => h?.stop());

  test('"average deal size … the 3 months before": /kpi dealsize, /kpi plan and the App Home print one pooled figure', async () => {
    // By hand: Aug–Oct won $21,000 over 7 deals = $3,000; the mean of the monthly averages would be $4,555.56.
    const months = [within('2026-08-01', '2026-09-01'), within('2026-09-01', '2026-10-01'), within('2026-10-01', '2026-11-01')].map((f) => DEALS.filter(f));
    const expected = usd(pooledAverageCents(months.flat()));
    expect(expected).toBe('$3,000');
    expect(usd(meanOfAveragesCents(months))).toBe('$4,555.56');

    const dealsize = (await run('dealsize <@U0REP|bob>')).shown;
    const plan = (await run('plan <@U0REP|bob>')).shown;
    const homeText = await home('U0REP');

    const figures = {
      dealsize: new RegExp(String.raw`vs the average of the 3 months before: (${MONEY}) \(7 deals\)`).exec(dealsize)?.[1],
      plan: new RegExp(String.raw`Based on the 3 months before: average won deal (${MONEY})`).exec(plan)?.[1],
      home: new RegExp(String.raw`average won deal of the 3 months before, (${MONEY})`).exec(homeText)?.[1],
    };
    expect(figures).toEqual({ dealsize: expected, plan: expected, home: expected });

    // The plan and the Home plan from that same figure: $60,000 → 20 deals; the gap $47,000 → 16.
    expect(plan).toContain('To reach $60,000 (the quota for November 2026) you need 20 won deals');
    expect(homeText).toContain('*To close the gap* ($47,000): about 16 deals at your average won deal of the 3 months before, $3,000'.replaceAll('*', ''));
    // Pooled lead conversion of the same months, on both: 7 won of 9 deals created.
    const conversion = formatPercent(7 / 9);
    expect(plan).toContain(`lead conversion rate ${conversion} (7 of 9 leads)`);
    expect(homeText).toContain(`at ${conversion} lead conversion`);
  });

  test('"the 4 weeks before": the digest preview and /kpi … last week print the same pooled figures', async () => {
    const weeks = ['2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09'];
    const trailing = weeks.slice(0, 4).map((w, i) => DEALS.filter(within(w, weeks[i + 1]!)));
    // By hand: W42–W45 won $13,000 over 4 deals = $3,250 (mean of the weekly averages: $3,666.67).
    const averageDeal = usd(pooledAverageCents(trailing.flat()));
    expect(averageDeal).toBe('$3,250');
    expect(usd(meanOfAveragesCents(trailing))).toBe('$3,666.67');
    // Win rate: 4 won of 5 closed = 80.0% (mean of the weekly rates: 75.0%).
    const closed = trailing.flat();
    const winRate = formatPercent(won(closed).length / closed.length);
    expect(winRate).toBe('80.0%');
    // Attainment: Σ net won $13,000 ÷ Σ weekly quota ($7,000 + $7,000 + $6,000 + $2,000 + $14,000 = $36,000) = 36.1%
    // (the mean of the weekly attainments would say 31.7%).
    const attainment = formatPercent(13_000 / 36_000);
    expect(attainment).toBe('36.1%');

    const digest = (await run('digest')).shown;
    expect(digest).toContain('week of Nov 9, 2026');
    expect(digest).not.toMatch(/4-week average/);
    const dealsizeWeek = (await run('dealsize last week')).shown;
    const winrateWeek = (await run('winrate last week')).shown;

    const digestDeal = new RegExp(String.raw`Average deal size[^\n]*\n[^\n]*vs the average of the 4 weeks before \((${MONEY})\)`).exec(digest)?.[1];
    const kpiDeal = new RegExp(String.raw`vs the average of the 4 weeks before: (${MONEY}) \(4 deals\)`).exec(dealsizeWeek)?.[1];
    expect({ digest: digestDeal, kpi: kpiDeal }).toEqual({ digest: averageDeal, kpi: averageDeal });

    const digestWin = /Win rate[^\n]*\n[^\n]*vs the average of the 4 weeks before \(([\d.]+%)\)/.exec(digest)?.[1];
    const kpiWin = /vs the average of the 4 weeks before: ([\d.]+%) \(4 won \/ 5 closed\)/.exec(winrateWeek)?.[1];
    expect({ digest: digestWin, kpi: kpiWin }).toEqual({ digest: winRate, kpi: winRate });

    // Net revenue per week: $13,000 over 4 weeks (every week counts, an empty one as $0); the chart's
    // average line ends on the same figure under the same words.
    expect(digest).toMatch(/Net revenue \$5,000\n[^\n]*vs the average of the 4 weeks before \(\$3,250\)/);
    expect(digest).toContain(`last week $5k vs the average of the 4 weeks before ${formatMoney(325_000n, 'USD', { compact: true })}`);
    expect(digest).toMatch(new RegExp(`Quota attainment[^\\n]*\\n[^\\n]*vs the average of the 4 weeks before \\(${attainment.replace('.', '\\.')}\\)`));
  });

  test('different periods never share a label: monthly and weekly averages are named by their own policy', async () => {
    const month = (await run('dealsize <@U0REP|bob>')).shown;
    const week = (await run('dealsize last week')).shown;
    expect(month).toContain('the 3 months before');
    expect(month).not.toContain('the 4 weeks before');
    expect(week).toContain('the 4 weeks before');
    expect(week).not.toContain('the 3 months before');
  });
});
