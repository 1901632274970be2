import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { importMavenFolder } from '../../src/domain/imports/index.js';
import { renderMessageAsText } from '../../src/slack/blocks/render-text.js';
import type { SlackBlocks } from '../../src/slack/gateway.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * Issue 3's acceptance criterion: imported into a fresh database, the public Maven CRM data set
 * (datasets/maven-crm) gives the same figures through `/kpi` (signed requests, fake Slack) as an
 * independent plain SQL computation written here.
 *
 * Nothing below calls the app's metric or formatting code (only `renderMessageAsText`, to read the
 * blocks as a person would): the period boundaries are written out (the imported workspace is
 * UTC), every expected figure comes from a plain SQL query on the `Deal` / `Refund` / `Rep`
 * tables, and the expected wording is rebuilt from those numbers ($X,XXX — cents only when there
 * are some —, percentages to one decimal, half up). The closed-deal counts and amounts, the funnel
 * and the top 3 are also derived from `sales_pipeline.csv` itself, so a mapping bug that SQL would
 * faithfully repeat (dates, ×100 cents, Won/Lost stages) is caught too.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const DATASET = join(ROOT, 'datasets/maven-crm');
const TEAM = 'T0FAKE';
const USER = 'U0MAVEN';

/** The funnel stages of a default workspace, as the answers name them, then won. */
const STAGE_LABELS = ['Lead', 'Contacted (call)', 'Demo/Trial', 'Proposal', 'Won'] as const;

interface TPeriodCase {
  /** What is typed after the KPI name. */
  readonly input: string;
  /** How the answer names the period. */
  readonly label: string;
  /** [start, end) as calendar days (UTC workspace): `YYYY-MM-DD`. */
  readonly from: string;
  readonly to: string;
  /** The period before, for the win rate comparison line. */
  readonly previous: { readonly label: string; readonly from: string; readonly to: string };
  /** The 3 periods before (contiguous, ending at `from`), for the trailing-average line. */
  readonly trailing: { readonly label: string; readonly from: string };
}

const PERIODS: readonly TPeriodCase[] = [
  {
    input: '2017',
    label: '2017',
    from: '2017-01-01',
    to: '2018-01-01',
    previous: { label: '2016', from: '2016-01-01', to: '2017-01-01' },
    trailing: { label: 'the 3 years before', from: '2014-01-01' },
  },
  {
    input: '2017-Q2',
    label: 'Q2 2017 (Apr 1 – Jun 30)',
    from: '2017-04-01',
    to: '2017-07-01',
    previous: { label: 'Q1 2017 (Jan 1 – Mar 31)', from: '2017-01-01', to: '2017-04-01' },
    trailing: { label: 'the 3 quarters before', from: '2016-07-01' },
  },
  {
    input: '2017-06',
    label: 'June 2017',
    from: '2017-06-01',
    to: '2017-07-01',
    previous: { label: 'May 2017', from: '2017-05-01', to: '2017-06-01' },
    trailing: { label: 'the 3 months before', from: '2017-03-01' },
  },
];

const utcMidnight = (day: string): Date => new Date(`${day}T00:00:00.000Z`);

// ---------------------------------------------------------------------------------------------
// Wording, rebuilt independently of src/domain/money.ts

/** `1234567` → `1,234,567`. */
const grouped = (n: bigint | number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Cents → `$12,000` or `$2,361.02` (cents shown only when there are some). */
function usd(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  const frac = abs % 100n;
  return `${sign}$${grouped(abs / 100n)}${frac === 0n ? '' : `.${String(frac).padStart(2, '0')}`}`;
}

/** a / b rounded half up (a, b >= 0, b > 0). */
const divHalfUp = (a: bigint, b: bigint): bigint => (2n * a + b) / (2n * b);

/** num / den as a percentage with one decimal, half up: `63.2%`. */
function pct(num: number, den: number): string {
  const tenths = divHalfUp(BigInt(num) * 1000n, BigInt(den));
  return `${grouped(tenths / 10n)}.${tenths % 10n}%`;
}

/** Exact comparison of two ratios a/b and c/d (b, d > 0): negative when a/b < c/d. */
const compareRatio = (a: number, b: number, c: number, d: number): number => a * d - c * b;

// ---------------------------------------------------------------------------------------------
// The CSV itself (no quoted fields in this file; CRLF line endings)

interface TCsvDeal {
  readonly id: string;
  readonly agent: string;
  readonly account: string;
  readonly stage: string;
  readonly engageDate: string;
  readonly closeDate: string;
  readonly closeValue: string;
}

function readPipelineCsv(): TCsvDeal[] {
  const lines = readFileSync(join(DATASET, 'sales_pipeline.csv'), 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0]?.split(',') ?? [];
  if (header.join(',') !== 'opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value') throw new Error(`unexpected header ${header.join(',')}`);
  return lines.slice(1).map((line) => {
    const f = line.split(',');
    if (f.length !== 8) throw new Error(`not 8 fields: ${line}`);
    return { id: f[0] ?? '', agent: f[1] ?? '', account: f[3] ?? '', stage: f[4] ?? '', engageDate: f[5] ?? '', closeDate: f[6] ?? '', closeValue: f[7] ?? '' };
  });
}

interface TCsvClosed {
  won: number;
  lost: number;
  wonCents: bigint;
}

/** Won / Lost rows whose close_date is in [from, to), and the won close_value in cents. */
function csvClosed(rows: readonly TCsvDeal[], from: string, to: string): TCsvClosed {
  const out: TCsvClosed = { won: 0, lost: 0, wonCents: 0n };
  for (const r of rows) {
    if (!(r.closeDate >= from && r.closeDate < to)) continue;
    if (r.stage === 'Won') {
      out.won++;
      out.wonCents += BigInt(r.closeValue) * 100n;
    } else if (r.stage === 'Lost') out.lost++;
  }
  return out;
}

/**
 * The funnel of the deals that entered in [from, to), straight from the CSV and the documented
 * mapping: entry day = engage_date, else close_date, else the latest date in the file; Prospecting
 * reached Lead only, Engaging and Lost reached Contacted, Won passed every stage.
 */
function csvFunnel(rows: readonly TCsvDeal[], from: string, to: string): number[] {
  const latest = rows.flatMap((r) => [r.engageDate, r.closeDate]).reduce((m, d) => (d > m ? d : m), '');
  const reached = [0, 0, 0, 0, 0];
  for (const r of rows) {
    const day = r.engageDate || r.closeDate || latest;
    if (!(day >= from && day < to)) continue;
    const furthest = r.stage === 'Won' ? 4 : r.stage === 'Prospecting' ? 0 : 1;
    for (let k = 0; k <= furthest; k++) reached[k] = (reached[k] ?? 0) + 1;
  }
  return reached;
}

/** Agents by won close_value (cents) of the deals closed in [from, to): desc, then won count desc, then name. */
function csvLeaders(rows: readonly TCsvDeal[], from: string, to: string): Array<{ name: string; wonCents: bigint; won: number }> {
  const by = new Map<string, { name: string; wonCents: bigint; won: number }>();
  for (const r of rows) {
    if (!(r.closeDate >= from && r.closeDate < to) || (r.stage !== 'Won' && r.stage !== 'Lost')) continue;
    const a = by.get(r.agent) ?? { name: r.agent, wonCents: 0n, won: 0 };
    if (r.stage === 'Won') {
      a.won++;
      a.wonCents += BigInt(r.closeValue) * 100n;
    }
    by.set(r.agent, a);
  }
  return [...by.values()].sort((a, b) => (a.wonCents !== b.wonCents ? (a.wonCents > b.wonCents ? -1 : 1) : b.won - a.won || a.name.localeCompare(b.name)));
}

// ---------------------------------------------------------------------------------------------

interface TAnswer {
  text: string;
  blocks?: SlackBlocks;
  response_type?: string;
}

interface TClosed {
  won: number;
  lost: number;
  wonCents: bigint;
}

interface TRepLine {
  name: string;
  won: number;
  lost: number;
  wonCents: bigint;
  refundCents: bigint;
}

describe.each(testEngines())('the Maven CRM data set through /kpi on %s', (dialect) => {
  let h: Harness;
  let workspaceId: number;
  let seq = 0;
  const csv = readPipelineCsv();

  /**
   * Runs a signed `/kpi` from the rep: acked within 3 s, answered privately on its response_url.
   * Returns the answer and how it reads in Slack (blocks rendered as text).
   */
  async function kpi(text: string): Promise<TAnswer & { shown: string }> {
    const id = `m${++seq}`;
    const started = Date.now();
    const res = await h.slack.command('/kpi', text, { user_id: USER, team_id: TEAM, response_url: h.fake.responseUrl(id) });
    const ackMs = Date.now() - started;
    expect(res.status).toBe(200);
    const [answer] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    const a = answer as unknown as TAnswer;
    expect(ackMs, `/kpi ${text} acked in ${ackMs} ms`).toBeLessThan(3000);
    expect(a.response_type).toBe('ephemeral');
    return { ...a, shown: renderMessageAsText({ text: a.text, ...(a.blocks ? { blocks: a.blocks } : {}) }) };
  }

  // Plain SQL, written from scratch against the tables (`?` placeholders in both engines).
  const int = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
  const big = (v: unknown): bigint => (v === null || v === undefined ? 0n : BigInt(String(v).replace(/\.0+$/, '')));
  const q = (text: string, params: readonly unknown[]) => h.database.db.query(text, params);
  const range = (p: { from: string; to: string }): [Date, Date] => [utcMidnight(p.from), utcMidnight(p.to)];

  async function sqlClosed(p: { from: string; to: string }): Promise<TClosed> {
    const [row] = await q(
      `SELECT SUM(CASE WHEN "status" = 'won' THEN 1 ELSE 0 END) AS won,
              SUM(CASE WHEN "status" = 'lost' THEN 1 ELSE 0 END) AS lost,
              CAST(SUM(CASE WHEN "status" = 'won' THEN "amountReportingMinor" ELSE 0 END) AS BIGINT) AS won_cents
         FROM "Deal" WHERE "workspaceId" = ? AND "closedAt" >= ? AND "closedAt" < ?`,
      [workspaceId, ...range(p)],
    );
    return { won: int(row?.['won']), lost: int(row?.['lost']), wonCents: big(row?.['won_cents']) };
  }

  async function sqlRefunds(p: { from: string; to: string }): Promise<bigint> {
    const [row] = await q(`SELECT CAST(SUM("amountReportingMinor") AS BIGINT) AS cents FROM "Refund" WHERE "workspaceId" = ? AND "recordedAt" >= ? AND "recordedAt" < ?`, [
      workspaceId,
      ...range(p),
    ]);
    return big(row?.['cents']);
  }

  /** Reps with deals closed in the period, ranked: net won desc, won count desc, name. */
  async function sqlReps(p: { from: string; to: string }): Promise<TRepLine[]> {
    const rows = await q(
      `SELECT r."id" AS id, r."name" AS name,
              SUM(CASE WHEN d."status" = 'won' THEN 1 ELSE 0 END) AS won,
              SUM(CASE WHEN d."status" = 'lost' THEN 1 ELSE 0 END) AS lost,
              CAST(SUM(CASE WHEN d."status" = 'won' THEN d."amountReportingMinor" ELSE 0 END) AS BIGINT) AS won_cents
         FROM "Deal" d JOIN "Rep" r ON r."id" = d."ownerId"
        WHERE d."workspaceId" = ? AND d."status" IN ('won', 'lost') AND d."closedAt" >= ? AND d."closedAt" < ?
        GROUP BY r."id", r."name"`,
      [workspaceId, ...range(p)],
    );
    const refunds = await q(
      `SELECT d."ownerId" AS id, CAST(SUM(f."amountReportingMinor") AS BIGINT) AS cents
         FROM "Refund" f JOIN "Deal" d ON d."id" = f."dealId"
        WHERE f."workspaceId" = ? AND f."recordedAt" >= ? AND f."recordedAt" < ?
        GROUP BY d."ownerId"`,
      [workspaceId, ...range(p)],
    );
    const refundOf = new Map(refunds.map((r) => [int(r['id']), big(r['cents'])]));
    return rows
      .map((r) => ({ name: String(r['name']), won: int(r['won']), lost: int(r['lost']), wonCents: big(r['won_cents']), refundCents: refundOf.get(int(r['id'])) ?? 0n }))
      .sort((a, b) => {
        const na = a.wonCents - a.refundCents;
        const nb = b.wonCents - b.refundCents;
        if (na !== nb) return na > nb ? -1 : 1;
        return b.won - a.won || a.name.localeCompare(b.name);
      });
  }

  /** Funnel of the deals created in the period: reached[k] = furthest stage k or later; won always passes every stage. */
  async function sqlFunnel(p: { from: string; to: string }): Promise<number[]> {
    const [row] = await q(
      `SELECT COUNT(*) AS s0,
              SUM(CASE WHEN "status" = 'won' OR "maxStageIndex" >= 1 THEN 1 ELSE 0 END) AS s1,
              SUM(CASE WHEN "status" = 'won' OR "maxStageIndex" >= 2 THEN 1 ELSE 0 END) AS s2,
              SUM(CASE WHEN "status" = 'won' OR "maxStageIndex" >= 3 THEN 1 ELSE 0 END) AS s3,
              SUM(CASE WHEN "status" = 'won' THEN 1 ELSE 0 END) AS s4
         FROM "Deal" WHERE "workspaceId" = ? AND "createdAt" >= ? AND "createdAt" < ?`,
      [workspaceId, ...range(p)],
    );
    return [int(row?.['s0']), int(row?.['s1']), int(row?.['s2']), int(row?.['s3']), int(row?.['s4'])];
  }

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.fake.addUser({ id: USER, name: 'maya', real_name: 'Maya Analyst', tz: 'UTC' });
    const report = await importMavenFolder({ db: h.database.db, dir: DATASET, workspaceTeamId: TEAM });
    expect(report).toMatchObject({ refused: false, imported: 8800, skipped: 0, repsCreated: 30, workspace: { slackTeamId: TEAM, created: true } });
    const [ws] = await q(`SELECT "id", "timeZone", "currency", "installerUserId" FROM "Workspace" WHERE "slackTeamId" = ?`, [TEAM]);
    expect(ws).toMatchObject({ timeZone: 'UTC', currency: 'USD', installerUserId: null });
    workspaceId = int(ws?.['id']);
  });
  afterAll(async () => h?.stop());
  beforeEach(() => h.fake.reset());

  test('the import stored every row, as the CSV says, and a Slack user joins the imported workspace as a rep', async () => {
    const [counts] = await q(
      `SELECT COUNT(*) AS n,
              SUM(CASE WHEN "status" = 'won' THEN 1 ELSE 0 END) AS won,
              SUM(CASE WHEN "status" = 'lost' THEN 1 ELSE 0 END) AS lost,
              SUM(CASE WHEN "status" = 'open' THEN 1 ELSE 0 END) AS open,
              SUM(CASE WHEN "currency" <> 'USD' OR "amountReportingMinor" <> "amountMinor" THEN 1 ELSE 0 END) AS not_usd
         FROM "Deal" WHERE "workspaceId" = ?`,
      [workspaceId],
    );
    expect(csv).toHaveLength(8800);
    expect({ n: int(counts?.['n']), won: int(counts?.['won']), lost: int(counts?.['lost']), open: int(counts?.['open']), notUsd: int(counts?.['not_usd']) }).toEqual({
      n: csv.length,
      won: csv.filter((r) => r.stage === 'Won').length,
      lost: csv.filter((r) => r.stage === 'Lost').length,
      open: csv.filter((r) => r.stage === 'Prospecting' || r.stage === 'Engaging').length,
      notUsd: 0,
    });

    // Nobody installed this workspace through Slack: the first person to use it claims it as admin
    // (as if they had installed the app), and reads every KPI. A read records no rep; their first
    // change (here `/kpi settings`, which admins may change) does, as admin.
    const a = await kpi('winrate 2017');
    expect(a.text).toMatch(/^Win rate \(2017, UTC\): /);
    const [claimed] = await q(`SELECT "installerUserId" FROM "Workspace" WHERE "id" = ?`, [workspaceId]);
    expect(claimed).toMatchObject({ installerUserId: USER });
    expect(await q(`SELECT "id" FROM "Rep" WHERE "workspaceId" = ? AND "slackUserId" = ?`, [workspaceId, USER])).toEqual([]);
    await kpi('settings');
    const [rep] = await q(`SELECT "role", "name" FROM "Rep" WHERE "workspaceId" = ? AND "slackUserId" = ?`, [workspaceId, USER]);
    expect(rep).toMatchObject({ role: 'admin' });
    const [reps] = await q(`SELECT COUNT(*) AS n FROM "Rep" WHERE "workspaceId" = ? AND "importKey" LIKE 'maven:%'`, [workspaceId]);
    expect(int(reps?.['n'])).toBe(new Set(csv.map((r) => r.agent)).size);
  });

  test('headline numbers of 2017 match the CSV itself: won deals and their close_value, closed deals, funnel entries', async () => {
    const fromCsv = csvClosed(csv, '2017-01-01', '2018-01-01');
    // Every Won and Lost row of the file closed in 2017 (close dates run 2017-03-01 … 2017-12-31).
    expect(fromCsv.won).toBe(csv.filter((r) => r.stage === 'Won').length);
    expect(fromCsv.won + fromCsv.lost).toBe(csv.filter((r) => r.stage === 'Won' || r.stage === 'Lost').length);
    expect(await sqlClosed({ from: '2017-01-01', to: '2018-01-01' })).toEqual(fromCsv);

    const revenue = await kpi('revenue 2017');
    expect(revenue.text).toBe(`Net revenue (2017, UTC): ${usd(fromCsv.wonCents)} — ${usd(fromCsv.wonCents)} won, no refunds`);
    const size = await kpi('dealsize 2017');
    expect(size.text).toContain(`${grouped(fromCsv.won)} won deals, ${usd(fromCsv.wonCents)} in total`);
    const rate = await kpi('winrate 2017');
    expect(rate.text).toBe(`Win rate (2017, UTC): ${pct(fromCsv.won, fromCsv.won + fromCsv.lost)} — ${grouped(fromCsv.won)} won / ${grouped(fromCsv.won + fromCsv.lost)} closed`);

    // Funnel entry = engage_date; the 500 leads without one enter on the latest date in the file; a
    // closed deal without one on its close date.
    const latest = csv.flatMap((r) => [r.engageDate, r.closeDate]).reduce((m, d) => (d > m ? d : m), '');
    expect(latest).toBe('2017-12-31');
    const entered = csv.filter((r) => {
      const day = r.engageDate || r.closeDate || latest;
      return day >= '2017-01-01' && day < '2018-01-01';
    }).length;
    const funnel = await kpi('funnel 2017');
    expect(funnel.text).toMatch(new RegExp(` — ${grouped(entered)} entered, `));
    expect((await sqlFunnel({ from: '2017-01-01', to: '2018-01-01' }))[0]).toBe(entered);
  });

  describe.each(PERIODS)('period $input', (p) => {
    test('/kpi winrate: won ÷ closed to one decimal, the previous and trailing periods, and every rep', async () => {
      const c = await sqlClosed(p);
      const prev = await sqlClosed(p.previous);
      const trail = await sqlClosed({ from: p.trailing.from, to: p.from });
      const reps = await sqlReps(p);
      expect(c.won + c.lost).toBeGreaterThan(0);
      expect(c).toEqual(csvClosed(csv, p.from, p.to));

      const a = await kpi(`winrate ${p.input}`);
      const closed = c.won + c.lost;
      expect(a.text).toBe(`Win rate (${p.label}, UTC): ${pct(c.won, closed)} — ${grouped(c.won)} won / ${grouped(closed)} closed`);
      expect(a.shown).toContain(`${pct(c.won, closed)} win rate — ${grouped(c.won)} won / ${grouped(closed)} closed (${grouped(c.lost)} ${c.lost === 1 ? 'deal' : 'deals'} lost) in ${p.label}`);
      const prevClosed = prev.won + prev.lost;
      expect(a.shown).toContain(prevClosed === 0 ? `vs ${p.previous.label}: no closed deals then` : `vs ${p.previous.label}: ${pct(prev.won, prevClosed)} (${grouped(prev.won)} won / ${grouped(prevClosed)} closed)`);
      const trailClosed = trail.won + trail.lost;
      expect(a.shown).toContain(
        trailClosed === 0 ? `vs ${p.trailing.label}: no closed deals then` : `vs the average of ${p.trailing.label}: ${pct(trail.won, trailClosed)} (${grouped(trail.won)} won / ${grouped(trailClosed)} closed)`,
      );

      // By rep: rate desc, then closed desc, then name.
      const byRep = [...reps]
        .sort((x, y) => compareRatio(y.won, y.won + y.lost, x.won, x.won + x.lost) || y.won + y.lost - (x.won + x.lost) || x.name.localeCompare(y.name))
        .map((r) => `• ${r.name}: ${pct(r.won, r.won + r.lost)} (${grouped(r.won)} won / ${grouped(r.won + r.lost)} closed)`);
      expect(a.shown).toContain(`By rep\n${byRep.join('\n')}`);
    });

    test('/kpi dealsize: total won ÷ won count, half up to the cent, and the reps below it', async () => {
      const c = await sqlClosed(p);
      const reps = await sqlReps(p);
      expect(c.won).toBeGreaterThan(0);
      const average = divHalfUp(c.wonCents, BigInt(c.won));

      const a = await kpi(`dealsize ${p.input}`);
      expect(a.text).toBe(`Average deal size (${p.label}, UTC): ${usd(average)} — ${grouped(c.won)} won ${c.won === 1 ? 'deal' : 'deals'}, ${usd(c.wonCents)} in total`);
      expect(a.shown).toContain(`${usd(average)} average won deal — ${usd(c.wonCents)} over ${grouped(c.won)} ${c.won === 1 ? 'deal' : 'deals'} won in ${p.label}`);

      const below = reps
        .filter((r) => r.won > 0)
        .map((r) => ({ ...r, average: divHalfUp(r.wonCents, BigInt(r.won)) }))
        .filter((r) => r.average < average)
        .sort((x, y) => (x.average < y.average ? -1 : x.average > y.average ? 1 : 0));
      expect(below.length).toBeGreaterThan(0);
      expect(a.shown).toContain(`Below the average of all reps (${usd(average)}) — they may chase small, easy deals or over-discount:`);
      const lowest = below[0]!;
      expect(a.shown).toContain(`• ${lowest.name}: ${usd(lowest.average)} (${grouped(lowest.won)} ${lowest.won === 1 ? 'deal' : 'deals'})`);
      for (const r of below) expect(a.shown).toContain(`• ${r.name}: ${usd(r.average)} (`);
      for (const r of reps.filter((x) => x.won > 0 && divHalfUp(x.wonCents, BigInt(x.won)) >= average)) expect(a.shown).not.toContain(`• ${r.name}: `);
      // The period is over: the oversized deals are those open at its end (engaged before it, closed
      // on or after it), ≥ 4× their rep's average won deal over the 365 days before the end. Deals
      // still open carry no amount in this data set, so only deals won later can be oversized.
      const lookbackFrom = new Date(utcMidnight(p.to).getTime() - 365 * 86_400_000).toISOString().slice(0, 10);
      const history = new Map<string, { n: bigint; cents: bigint }>();
      for (const r of csv) {
        if (r.stage !== 'Won' || r.closeDate < lookbackFrom || r.closeDate >= p.to) continue;
        const h0 = history.get(r.agent) ?? { n: 0n, cents: 0n };
        history.set(r.agent, { n: h0.n + 1n, cents: h0.cents + BigInt(r.closeValue) * 100n });
      }
      const expected = csv
        .filter((r) => r.engageDate !== '' && r.engageDate < p.to && (r.closeDate === '' || r.closeDate >= p.to) && r.closeValue !== '')
        .filter((r) => {
          const h0 = history.get(r.agent);
          return h0 !== undefined && BigInt(r.closeValue) * 100n * 100n >= divHalfUp(h0.cents, h0.n) * 400n;
        })
        .map((r) => `${r.account} (${r.agent}, Open): ${usd(BigInt(r.closeValue) * 100n)}`);
      expect(a.shown).not.toContain('Oversized open deals');
      if (expected.length === 0) expect(a.shown).not.toContain('Oversized deals open at the end');
      else {
        expect(a.shown).toContain(`${expected.length} oversized ${expected.length === 1 ? 'deal was' : 'deals were'} open at the end of ${p.label}`);
        const listed = a.shown.split('\n').filter((l) => l.startsWith('• ') && l.includes('× their average won deal')).map((l) => l.slice(2).replace(/, [\d.]+× their average won deal.*$/, ''));
        expect(listed.length).toBeGreaterThan(0);
        for (const line of listed) expect(expected).toContain(line);
      }
    });

    test('/kpi revenue: won − refunds, and every deal is new business', async () => {
      const c = await sqlClosed(p);
      const refunds = await sqlRefunds(p);
      expect(refunds).toBe(0n);
      const [types] = await q(
        `SELECT COUNT(*) AS n, SUM(CASE WHEN "type" = 'new' THEN 1 ELSE 0 END) AS new_deals
           FROM "Deal" WHERE "workspaceId" = ? AND "status" = 'won' AND "closedAt" >= ? AND "closedAt" < ?`,
        [workspaceId, ...range(p)],
      );
      expect(int(types?.['new_deals'])).toBe(int(types?.['n']));

      const a = await kpi(`revenue ${p.input}`);
      expect(a.text).toBe(`Net revenue (${p.label}, UTC): ${usd(c.wonCents - refunds)} — ${usd(c.wonCents)} won, no refunds`);
      expect(a.shown).toContain(`${usd(c.wonCents - refunds)} net revenue in ${p.label} — ${usd(c.wonCents)} won, no refunds`);
      expect(a.shown).toContain('Mix of net won revenue: New business 100.0% · Upsell / cross-sell 0.0% · Renewal 0.0%');
      expect(a.shown).toContain(`new business ${grouped(c.won)} ${c.won === 1 ? 'deal' : 'deals'} (${usd(c.wonCents)})`);
    });

    test('/kpi funnel: the cohort created in the period, stage by stage, and its biggest leak', async () => {
      const reached = await sqlFunnel(p);
      expect(reached).toEqual(csvFunnel(csv, p.from, p.to));
      const entered = reached[0] ?? 0;
      const won = reached[4] ?? 0;
      expect(entered).toBeGreaterThan(0);
      // Maven has no demo/proposal stages: open and lost deals stop at Contacted, won deals pass every stage.
      expect(reached[2]).toBe(won);
      expect(reached[3]).toBe(won);
      let leak = -1;
      for (let k = 0; k < 4; k++) {
        const from = reached[k] ?? 0;
        const to = reached[k + 1] ?? 0;
        if (from === 0) continue;
        if (leak < 0 || compareRatio(to, from, reached[leak + 1] ?? 0, reached[leak] ?? 0) < 0) leak = k;
      }
      expect(leak).toBeGreaterThanOrEqual(0);
      const rate = (k: number) => pct(reached[k + 1] ?? 0, reached[k] ?? 0);

      const a = await kpi(`funnel ${p.input}`);
      expect(a.text).toBe(
        `Sales funnel (${p.label}, UTC): biggest leak ${STAGE_LABELS[leak]} → ${STAGE_LABELS[leak + 1]} at ${rate(leak)} — ${grouped(entered)} entered, ${grouped(won)} won (${pct(won, entered)})`,
      );
      const stageLines = STAGE_LABELS.map((label, i) =>
        i === 0 ? `${label}: ${grouped(entered)}` : `→ ${label}: ${grouped(reached[i] ?? 0)} — ${rate(i - 1)} of ${STAGE_LABELS[i - 1]}${i - 1 === leak ? ' 🔻 biggest leak' : ''}`,
      );
      expect(a.shown).toContain(`Stage by stage\n${stageLines.join('\n')}`);
      expect(a.shown).toContain(`(${grouped(reached[leak + 1] ?? 0)} of ${grouped(reached[leak] ?? 0)})`);
    });

    test('/kpi leaderboard: top 3 reps by net won revenue, with their deals and win rate', async () => {
      const reps = await sqlReps(p);
      expect(reps.length).toBeGreaterThan(3);
      // Ranks are shared only by an exact tie on net won and won count.
      const ranks: number[] = [];
      reps.forEach((r, i) => {
        const prev = reps[i - 1];
        ranks.push(prev && prev.wonCents - prev.refundCents === r.wonCents - r.refundCents && prev.won === r.won ? (ranks[i - 1] ?? 0) : i + 1);
      });
      const top = reps.slice(0, 3);
      expect(top.map((r) => [r.name, r.wonCents])).toEqual(csvLeaders(csv, p.from, p.to).slice(0, 3).map((r) => [r.name, r.wonCents]));
      expect(reps).toHaveLength(csvLeaders(csv, p.from, p.to).length);

      const a = await kpi(`leaderboard ${p.input}`);
      const head = top.map((r, i) => `${ranks[i]}. ${r.name} ${usd(r.wonCents - r.refundCents)}`).join('; ');
      expect(a.text).toBe(`Leaderboard (${p.label}, UTC): ${head} (and ${reps.length - 3} more)`);
      const total = reps.reduce((s, r) => s + r.wonCents - r.refundCents, 0n);
      const leader = top[0]!;
      // A past period: the leader "finished first", not "leads".
      expect(a.shown).toContain(`${leader.name} finished first in ${p.label} with ${usd(leader.wonCents - leader.refundCents)} net won — ${reps.length} reps ranked, ${usd(total)} in total.`);
      const medals = ['🥇', '🥈', '🥉'];
      top.forEach((r, i) => {
        const rate = r.won + r.lost > 0 ? ` · win rate ${pct(r.won, r.won + r.lost)}` : '';
        expect(a.shown).toContain(`${medals[ranks[i]! - 1]} ${r.name} — ${usd(r.wonCents - r.refundCents)} · ${grouped(r.won)} won${rate}`);
      });
    });
  });
});
