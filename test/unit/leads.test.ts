import { describe, expect, test } from 'vitest';
import { countLeads, type TBulkLeadRow, type TLoggedLeads } from '../../src/domain/leads/count-leads.js';
import { leadCountKey, normalizeLeadSource, parseLeadCount } from '../../src/domain/leads/lead-count-key.js';
import { firstArgQuoted, parseLeadArgs, takeTrailingAmount } from '../../src/domain/deals/quick-form-args.js';
import { parseDealCommand } from '../../src/domain/deals/parse-deal-command.js';
import { detectCsvKind } from '../../src/domain/imports/detect.js';
import { isLeadCountHeader } from '../../src/domain/imports/lead-counts.js';
import { parseLeadsCommand } from '../../src/slack/kpi/leads-subcommand.js';
import { leadsBasisLine } from '../../src/slack/blocks/kpi/conversion.js';
import { computeConversionRate } from '../../src/domain/metrics/conversion-rate.js';
import type { SalesTeam } from '../../src/storage/models.js';

const d = (s: string) => new Date(s);
const MARCH = { start: d('2026-03-01T00:00:00Z'), end: d('2026-04-01T00:00:00Z') };
const Q1 = { start: d('2026-01-01T00:00:00Z'), end: d('2026-04-01T00:00:00Z') };
const WEEK = { start: d('2026-03-02T00:00:00Z'), end: d('2026-03-09T00:00:00Z') };

type Who = { rep?: number; team?: number; repTeam?: number };
function row(count: number, who: Who = {}, source: string | null = null, span: { start: Date; end: Date } = MARCH): TBulkLeadRow {
  return { periodStart: span.start, periodEnd: span.end, count, repId: who.rep ?? null, teamId: who.team ?? null, repTeamId: who.repTeam ?? null, source };
}
const logged = (repId: number, teamId: number | null, created: number, won: number): TLoggedLeads => ({ repId, teamId, created, won });

describe('countLeads: every lead once', () => {
  // [name, bulk rows, logged per rep, expected leads, converted, basis, coveredLogged]
  test.each<[string, TBulkLeadRow[], TLoggedLeads[], number, number, string, number]>([
    ['no counts: the logged leads', [], [logged(1, null, 30, 3), logged(2, null, 20, 2)], 50, 5, 'logged', 0],
    ['nothing at all', [], [], 0, 0, 'none', 0],
    ['the article: 500 bulk leads, 50 won deals logged → 500, not 550', [row(500)], [logged(1, null, 50, 50)], 500, 50, 'bulk', 50],
    ['a workspace count covers team and rep counts too', [row(500), row(200, { team: 7 }), row(40, { rep: 1, repTeam: 7 })], [logged(1, 7, 10, 4)], 500, 4, 'bulk', 10],
    ['a team count covers its reps; other reps add their logged leads', [row(200, { team: 7 })], [logged(1, 7, 30, 3), logged(2, 8, 12, 1)], 212, 4, 'mixed', 30],
    ['a rep count inside a counted team is not added again', [row(200, { team: 7 }), row(90, { rep: 1, repTeam: 7 })], [logged(1, 7, 30, 3)], 200, 3, 'bulk', 30],
    ['a rep count covers only that rep', [row(90, { rep: 1 })], [logged(1, null, 30, 3), logged(2, null, 5, 1)], 95, 4, 'mixed', 30],
    ['counts per source add up', [row(300, {}, 'web'), row(200, {}, 'referral')], [logged(1, null, 10, 5)], 500, 5, 'bulk', 10],
    ['a count of all sources wins over per-source counts', [row(450), row(300, {}, 'web')], [], 450, 0, 'bulk', 0],
    ['a count below the deals logged under it is raised to them', [row(20)], [logged(1, null, 50, 10)], 50, 10, 'bulk', 50],
    ['a month count and the quarter around it are not added', [row(500), row(1200, {}, null, Q1)], [], 500, 0, 'bulk', 0],
    ['a month count asked about for one week is pro-rated', [row(310)], [logged(1, null, 3, 1)], 70, 1, 'bulk', 3],
  ])('%s', (_name, bulk, loggedLeads, leads, converted, basis, coveredLogged) => {
    const range = _name.includes('one week') ? WEEK : MARCH;
    const r = countLeads({ range, bulk, logged: loggedLeads });
    expect(r.leads).toBe(leads);
    expect(r.converted).toBe(converted);
    expect(r.basis).toBe(basis);
    expect(r.coveredLogged).toBe(coveredLogged);
    expect(r.bulkLeads + r.loggedLeads).toBe(r.leads);
  });

  test('the article: 500 leads and 50 won make 10% conversion', () => {
    const r = countLeads({ range: MARCH, bulk: [row(500)], logged: [logged(1, null, 50, 50)] });
    expect(computeConversionRate({ leads: r.leads, converted: r.converted }).rate).toBe(0.1);
    expect(r.raised).toBe(false);
  });

  test('a count of another period is not used', () => {
    const april = { start: d('2026-04-01T00:00:00Z'), end: d('2026-05-01T00:00:00Z') };
    const r = countLeads({ range: MARCH, bulk: [row(500, {}, null, april)], logged: [logged(1, null, 8, 2)] });
    expect(r).toMatchObject({ leads: 8, basis: 'logged', bulkLeads: 0 });
  });
});

describe('lead count input', () => {
  test.each([
    ['500', 500],
    ['1,200', 1200],
    ['0', 0],
    ['10_000', 10000],
  ])('parseLeadCount(%s) = %d', (raw, n) => expect(parseLeadCount(raw)).toBe(n));

  test.each([['-5', /negative/], ['12.5', /whole number/], ['1k', /whole number/], ['lots', /whole number/], ['20000000', /at most 10,000,000/]])('parseLeadCount(%s) is refused', (raw, message) => {
    expect(() => parseLeadCount(raw)).toThrow(message);
  });

  test('sources are compared lower-cased with spaces collapsed', () => {
    expect(normalizeLeadSource('  Trade   Show ')).toBe('trade show');
    expect(normalizeLeadSource('')).toBeNull();
    expect(() => normalizeLeadSource('x'.repeat(41))).toThrow(/at most 40/);
  });

  test('one key per period, scope and source', () => {
    const a = leadCountKey(MARCH, { kind: 'team', teamId: 3 }, 'web');
    expect(a).toBe('2026-03-01T00:00:00.000Z/2026-04-01T00:00:00.000Z|t3|"web"');
    expect(leadCountKey(MARCH, { kind: 'team', teamId: 3 }, null)).not.toBe(a);
    expect(leadCountKey(MARCH, { kind: 'rep', repId: 3 }, 'web')).not.toBe(a);
    expect(leadCountKey(Q1, { kind: 'team', teamId: 3 }, 'web')).not.toBe(a);
    // A source literally called "null" is not the all-sources count.
    expect(leadCountKey(MARCH, { kind: 'workspace' }, 'null')).not.toBe(leadCountKey(MARCH, { kind: 'workspace' }, null));
  });
});

describe('/kpi leads words', () => {
  const teams = [{ id: 4, name: 'North America' }, { id: 5, name: 'South' }] as SalesTeam[];
  const ctx = { period: { now: d('2026-03-15T12:00:00Z'), timeZone: 'UTC', fiscalYearStartMonth: 1 }, teams };

  test('count, period, scope and source', () => {
    expect(parseLeadsCommand(['500', '2026-03'], ctx)).toMatchObject({ kind: 'set', count: 500, period: { key: '2026-03' }, who: { kind: 'workspace' }, source: null });
    expect(parseLeadsCommand(['120', '2026-Q1', 'team', 'north', 'america', 'web'], ctx)).toMatchObject({ count: 120, period: { key: '2026-Q1' }, who: { kind: 'team', team: { id: 4 } }, source: 'web' });
    expect(parseLeadsCommand(['40', 'last', 'month', '<@U0DANA|dana>', 'trade', 'show'], ctx)).toMatchObject({ period: { key: '2026-02' }, who: { kind: 'user', userId: 'U0DANA' }, source: 'trade show' });
    expect(parseLeadsCommand(['40', '2026', 'me'], ctx)).toMatchObject({ period: { kind: 'year' }, who: { kind: 'me' }, source: null });
    expect(parseLeadsCommand(['clear', '2026-03', 'team', 'South'], ctx)).toMatchObject({ kind: 'clear', who: { kind: 'team', team: { id: 5 } } });
    expect(parseLeadsCommand([], ctx)).toEqual({ kind: 'help' });
  });

  test.each([
    [['-5', '2026-03'], /cannot be negative[\s\S]*\/kpi leads <count> <period>/],
    [['12.5', '2026-03'], /not a whole number/],
    [['500'], /Give the period/],
    [['500', '2026-13'], /not a period/],
    [['500', 'last', '30', 'days'], /not a period/],
    [['500', '2026-03', 'team', 'Nowhere'], /no team called "Nowhere"/],
    [['500', '2026-03', '@dana'], /couldn't tell who "@dana" is/],
    [['500', '2026-03', 'south'], /"South" is a team: write `team South`/],
  ])('%j is refused with the right form', (words, message) => {
    expect(() => parseLeadsCommand(words, ctx)).toThrow(message);
  });
});

describe('quoted names on every quick form', () => {
  test.each([
    ['won "Acme Corp" 5m', { kind: 'won', customer: 'Acme Corp', amountMinor: 500_000_000n, type: null }],
    ['won “Acme Corp” $5,000 upsell', { kind: 'won', customer: 'Acme Corp', amountMinor: 500_000n, type: 'upsell' }],
    ['won 5k "Acme Corp"', { kind: 'won', customer: 'Acme Corp', amountMinor: 500_000n }],
    ['lost "Acme Corp" budget cut', { kind: 'lost', candidates: [{ customer: 'Acme Corp', reason: 'budget cut' }] }],
    ['stage "Acme Corp" demo', { kind: 'stage', customer: 'Acme Corp', stage: 'demo' }],
    ['stage "Acme Corp" demo 20k', { kind: 'stage', customer: 'Acme Corp', stage: 'demo', amountMinor: 2_000_000n }],
    ['lead "Acme Corp" trade show', { kind: 'lead', customer: 'Acme Corp', source: 'trade show' }],
    ['lead Acme Corp', { kind: 'lead', customer: 'Acme Corp', source: null }],
    ['lead Acme Web', { kind: 'lead', customer: 'Acme', source: 'web' }],
  ])('/deal %s', (text, expected) => {
    expect(parseDealCommand(text, 'USD')).toMatchObject(expected);
  });

  test('a quoted name with no amount after it is refused with the form', () => {
    expect(() => parseDealCommand('won "Acme Corp"', 'USD')).toThrow(/Say the amount and the customer/);
    expect(() => parseDealCommand('won "Acme Corp" soon', 'USD')).toThrow();
    expect(() => parseDealCommand('lead', 'USD')).toThrow(/Which customer is the lead/);
  });

  test('helpers', () => {
    expect(firstArgQuoted('won "Acme Corp" 5m')).toBe(true);
    expect(firstArgQuoted('won 5m "Acme Corp"')).toBe(false);
    expect(takeTrailingAmount(['Acme'], 'USD', false)).toBeNull();
    expect(parseLeadArgs(['Acme Corp', 'Web'], true)).toEqual({ kind: 'lead', customer: 'Acme Corp', source: 'web' });
  });
});

describe('lead-count files', () => {
  test('are recognised by their header', () => {
    expect(detectCsvKind(['period', 'count', 'team', 'rep', 'source'])).toBe('lead-counts');
    expect(detectCsvKind(['Period', 'Count'])).toBe('lead-counts');
    expect(isLeadCountHeader(['period', 'count', 'owner'])).toBe(false);
    expect(detectCsvKind(['external_id', 'owner', 'customer', 'amount', 'status'])).toBe('generic');
  });
});

describe('the conversion answer says which leads it counted', () => {
  const f = (over: Partial<Parameters<typeof leadsBasisLine>[0]>) => ({ ...computeConversionRate({ leads: 500, converted: 50 }), dealsCreated: 50, bulkLeads: 500, leadsSource: 'lead-counts' as const, loggedLeads: 0, coveredLogged: 50, raised: false, ...over });
  test.each([
    [f({}), 'Leads counted: 500 from bulk lead counts (`/kpi leads`); the 50 deals and leads logged one by one under those counts are part of them, not added.'],
    [f({ leadsSource: 'mixed', bulkLeads: 200, loggedLeads: 12, coveredLogged: 30 }), 'Leads counted: 200 from bulk lead counts (`/kpi leads`) + 12 logged one by one where no count covers them; the 30 deals and leads logged one by one under those counts are part of them, not added.'],
    [f({ leadsSource: 'deals', bulkLeads: 0, loggedLeads: 42, coveredLogged: 0 }), 'Leads counted: the 42 deals and leads logged one by one (`/deal`, `/deal lead`); no bulk lead count covers this period.'],
  ])('%#', (figures, line) => expect(leadsBasisLine(figures)).toBe(line));
});
