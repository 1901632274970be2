import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrmSourceError, type TCrmDeal, type TCrmPage, type TCrmRemoval } from '../../src/domain/crm/crm-source.js';
import { createHubSpotSource, type THubSpotSourceOptions } from '../../src/crm/hubspot/hubspot-source.js';
import { decodeHubSpotCursor } from '../../src/crm/hubspot/hubspot-mapping.js';
import { FakeHubSpot } from '../helpers/fake-hubspot.js';

const NOW = new Date('2024-06-01T12:00:00.000Z');

interface TRun {
  deals: TCrmDeal[];
  removals: TCrmRemoval[];
  pages: TCrmPage[];
  cursor: string;
}

/** Pulls pages until `done`, as the sync engine does, with a page limit against loops. */
async function runToDone(source: ReturnType<typeof createHubSpotSource>, cursor: string | null, now = NOW): Promise<TRun> {
  const out: TRun = { deals: [], removals: [], pages: [], cursor: '' };
  let c = cursor;
  for (let i = 0; i < 500; i++) {
    const page = await source.pullChanges({ cursor: c, now });
    out.pages.push(page);
    out.deals.push(...page.deals);
    out.removals.push(...page.removals);
    c = page.cursor;
    if (page.done) {
      out.cursor = page.cursor;
      return out;
    }
  }
  throw new Error('no done page after 500 pages');
}

describe('HubSpot connector against the loopback fake', () => {
  let fake: FakeHubSpot;
  let sleeps: number[];
  const make = (over: Partial<THubSpotSourceOptions> = {}) =>
    createHubSpotSource({
      accessToken: fake.token,
      baseUrl: fake.url,
      timeoutMs: 2_000,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      portalId: '4242',
      ...over,
    });

  beforeEach(async () => {
    fake = await new FakeHubSpot().start();
    sleeps = [];
  });
  afterEach(async () => {
    await fake.stop();
  });

  it('lists pipeline stages in display order with won/closed from stage metadata', async () => {
    fake.pipelines.push({
      id: 'renewals',
      label: 'Renewals',
      displayOrder: 1,
      stages: [
        { id: 'r-won', label: 'Renewed', displayOrder: 1, isClosed: true, probability: '1.0' },
        { id: 'r-open', label: 'Up for renewal', displayOrder: 0, isClosed: false, probability: '0.5' },
      ],
    });
    const stages = await make().listStages();
    expect(stages.map((s) => `${s.pipelineId}/${s.order}/${s.id}/${s.isClosed ? 'C' : '-'}${s.isWon ? 'W' : '-'}`)).toEqual([
      'default/0/appointmentscheduled/--',
      'default/1/qualifiedtobuy/--',
      'default/2/contractsent/--',
      'default/3/closedwon/CW',
      'default/4/closedlost/C-',
      'renewals/0/r-open/--',
      'renewals/1/r-won/CW',
    ]);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /crm/v3/pipelines/deals']);
  });

  it('lists owners across pages, with emails, archived ones inactive', async () => {
    for (let i = 0; i < 130; i++) fake.addOwner({ id: String(i + 1), email: `Rep${i + 1}@Example.com`, firstName: 'Rep', lastName: String(i + 1) });
    fake.addOwner({ id: '999', email: 'gone@example.com', firstName: 'Gone', lastName: 'Rep', archived: true });
    const owners = await make().listOwners();
    expect(owners).toHaveLength(131);
    expect(owners[0]).toEqual({ id: '1', email: 'rep1@example.com', name: 'Rep 1', active: true });
    expect(owners.find((o) => o.id === '999')?.active).toBe(false);
    const gets = fake.requestsTo('GET', '/crm/v3/owners');
    expect(gets.map((r) => `${r.query.get('archived')}:${r.query.get('after') ?? '-'}`)).toEqual(['false:-', 'false:100', 'true:-']);
  });

  it('full load: 250 deals over list pages with stage history, mapped fields, total and a final cursor', async () => {
    for (let i = 0; i < 250; i++) {
      fake.tick(1000);
      fake.addDeal({
        dealname: `Deal ${i}`,
        amount: i % 10 === 0 ? '' : `${1000 + i}.50`,
        deal_currency_code: i % 2 ? 'COP' : 'usd',
        hubspot_owner_id: String((i % 3) + 1),
        dealtype: i % 3 === 0 ? 'newbusiness' : i % 3 === 1 ? 'existingbusiness' : 'renewal',
        hs_mrr: i % 5 === 0 ? '99.90' : null,
      });
    }
    const won = [...fake.deals.values()][7]!;
    fake.tick(60_000);
    fake.updateDeal(won.id, { dealstage: 'contractsent' });
    fake.tick(60_000);
    fake.updateDeal(won.id, { dealstage: 'closedwon', closedate: '2024-01-05T00:00:00.000Z' });
    const lost = [...fake.deals.values()][8]!;
    fake.updateDeal(lost.id, { dealstage: 'closedlost', closedate: '2024-01-06T00:00:00.000Z', closed_lost_reason: 'Budget' });

    const run = await runToDone(make(), null);
    expect(run.deals).toHaveLength(250);
    expect(new Set(run.deals.map((d) => d.crmId)).size).toBe(250);
    expect(run.pages).toHaveLength(5); // 50 per page with propertiesWithHistory
    expect(run.pages.every((p) => p.total === 250)).toBe(true);
    expect(run.pages.slice(0, -1).every((p) => !p.done)).toBe(true);

    const lists = fake.requestsTo('GET', '/crm/v3/objects/deals');
    expect(lists).toHaveLength(5);
    expect(lists[0]!.query.getAll('propertiesWithHistory').join(',')).toBe('dealstage');
    expect(lists[0]!.query.getAll('properties').join(',').split(',')).toEqual(expect.arrayContaining(['dealname', 'amount', 'deal_currency_code', 'dealstage', 'hs_lastmodifieddate', 'hs_merged_object_ids']));
    expect(lists.every((r) => r.authorization === `Bearer ${fake.token}`)).toBe(true);

    const w = run.deals.find((d) => d.crmId === won.id)!;
    expect(w).toMatchObject({ status: 'won', title: 'Deal 7', customer: 'Deal 7', amount: '1007.50', currency: 'COP', type: 'upsell', ownerId: '2', stageId: 'closedwon', pipelineId: 'default' });
    expect(w.closedAt?.toISOString()).toBe('2024-01-05T00:00:00.000Z');
    expect(w.stageHistory?.map((h) => h.stageId)).toEqual(['appointmentscheduled', 'contractsent', 'closedwon']);
    expect(w.url).toBe(`https://app.hubspot.com/contacts/4242/record/0-3/${won.id}`);
    const l = run.deals.find((d) => d.crmId === lost.id)!;
    expect(l).toMatchObject({ status: 'lost', lostReason: 'Budget', type: 'renewal' });
    const first = run.deals.find((d) => d.title === 'Deal 0')!;
    expect(first).toMatchObject({ amount: null, currency: 'USD', type: 'new', recurringMonthly: '99.90', status: 'open', closedAt: null, lostReason: null });

    const next = decodeHubSpotCursor(run.cursor);
    expect(next).toMatchObject({ phase: 'incremental', since: NOW.getTime() - 60_000, after: null });
  });

  it('incremental: only deals changed since the watermark, then archived deals as removals; watermark advances', async () => {
    const ds = Array.from({ length: 20 }, (_, i) => {
      fake.tick(1000);
      return fake.addDeal({ dealname: `D${i}`, amount: '100' });
    });
    const source = make({ overlapMs: 0 });
    // The sync starts 1 ms after the last change (a change at the start instant is read again).
    const t0 = fake.now.getTime() + 1;
    const full = await runToDone(source, null, new Date(t0));
    expect(full.deals).toHaveLength(20);

    fake.tick(5_000);
    fake.updateDeal(ds[3]!.id, { amount: '300' });
    fake.tick(1_000);
    fake.updateDeal(ds[9]!.id, { dealstage: 'closedwon', closedate: fake.now.toISOString() });
    fake.tick(1_000);
    fake.deleteDeal(ds[12]!.id);
    const deletedAt = fake.now;
    fake.requests.length = 0;

    const inc = await runToDone(source, full.cursor);
    expect(inc.deals.map((d) => d.crmId).sort()).toEqual([ds[3]!.id, ds[9]!.id].sort());
    expect(inc.deals.find((d) => d.crmId === ds[3]!.id)?.amount).toBe('300');
    expect(inc.deals.find((d) => d.crmId === ds[9]!.id)?.status).toBe('won');
    expect(inc.removals).toEqual([{ crmId: ds[12]!.id, removedAt: deletedAt, mergedIntoCrmId: null }]);
    const search = fake.requestsTo('POST', '/crm/v3/objects/deals/search')[0]!;
    expect(search.body).toMatchObject({
      filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(t0) }] }],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
      limit: 100,
    });
    expect(fake.requestsTo('GET', '/crm/v3/objects/deals')[0]!.query.get('archived')).toBe('true');
    const after = decodeHubSpotCursor(inc.cursor);
    expect(after).toMatchObject({ phase: 'incremental', since: ds[9]!.updatedAt.getTime() });

    // Nothing changed: the next run delivers nothing again (ids at the watermark instant remembered).
    const quiet = await runToDone(source, inc.cursor);
    expect(quiet.deals).toEqual([]);
    expect(quiet.removals).toEqual([]);
    // A change after that is delivered.
    fake.tick(1_000);
    fake.updateDeal(ds[0]!.id, { amount: '1' });
    const again = await runToDone(source, quiet.cursor);
    expect(again.deals.map((d) => d.crmId)).toEqual([ds[0]!.id]);
  });

  it('re-windows past the search cap (lowered to 30) and returns every change exactly once, never a 400', async () => {
    fake.searchCap = 30;
    const ds = Array.from({ length: 120 }, (_, i) => fake.addDeal({ dealname: `D${i}` }, new Date(Date.UTC(2024, 0, 1))));
    const since = Date.UTC(2024, 2, 1);
    // 95 changes, several sharing one millisecond (tests the boundary dedupe).
    ds.slice(0, 95).forEach((d, i) => fake.updateDeal(d.id, { amount: String(i) }, new Date(since + 1000 + Math.floor(i / 3) * 1000)));
    const cursor = JSON.stringify({ v: 1, phase: 'incremental', since, archivedSince: since, windowStart: since, after: null, maxSeen: null, seenAtMax: [] });
    const run = await runToDone(make({ pageSize: 10, overlapMs: 0 }), cursor);
    const ids = run.deals.map((d) => d.crmId);
    expect(ids).toHaveLength(95);
    expect(new Set(ids).size).toBe(95);
    expect(new Set(ids)).toEqual(new Set(ds.slice(0, 95).map((d) => d.id)));
    const searches = fake.requestsTo('POST', '/crm/v3/objects/deals/search');
    expect(searches.every((r) => r.status === 200)).toBe(true);
    expect(searches.length).toBeGreaterThan(95 / 10);
    expect(decodeHubSpotCursor(run.cursor)).toMatchObject({ since: since + 1000 + 31 * 1000 });
  });

  it('pages inside one crowded millisecond with after, and steps over it at the cap', async () => {
    fake.searchCap = 30;
    const at = new Date(Date.UTC(2024, 3, 1));
    const crowd = Array.from({ length: 25 }, (_, i) => fake.addDeal({ dealname: `C${i}` }, at));
    const later = fake.addDeal({ dealname: 'later' }, new Date(at.getTime() + 5));
    const cursor = JSON.stringify({ v: 1, phase: 'incremental', since: at.getTime() - 1, archivedSince: 0, windowStart: at.getTime() - 1, after: null, maxSeen: null, seenAtMax: [] });
    const run = await runToDone(make({ pageSize: 10, overlapMs: 0 }), cursor);
    expect(new Set(run.deals.map((d) => d.crmId))).toEqual(new Set([...crowd, later].map((d) => d.id)));
    expect(run.deals).toHaveLength(26);
    const afters = fake.requestsTo('POST', '/crm/v3/objects/deals/search').map((r) => (r.body as { after?: string }).after ?? '-');
    expect(afters).toContain('10');
    expect(afters).toContain('20');
  });

  it('deletions and merges become removals (merged deals point at the new survivor)', async () => {
    const a = fake.addDeal({ dealname: 'A', amount: '10' });
    const b = fake.addDeal({ dealname: 'B', amount: '20' });
    const c = fake.addDeal({ dealname: 'C' });
    const source = make({ overlapMs: 0 });
    const full = await runToDone(source, null, fake.now);
    fake.tick(10_000);
    const merged = fake.mergeDeals(a.id, b.id);
    fake.tick(1_000);
    fake.deleteDeal(c.id);
    const inc = await runToDone(source, full.cursor);
    expect(inc.deals.map((d) => d.crmId)).toEqual([merged.id]);
    expect(inc.removals).toEqual(
      expect.arrayContaining([
        { crmId: a.id, removedAt: merged.updatedAt, mergedIntoCrmId: merged.id },
        { crmId: b.id, removedAt: merged.updatedAt, mergedIntoCrmId: merged.id },
        { crmId: c.id, removedAt: fake.now, mergedIntoCrmId: null },
      ]),
    );
    expect(inc.removals).toHaveLength(3);
  });

  it('429: waits Retry-After through the injected sleep, counts it, then succeeds; daily usage from headers', async () => {
    fake.addDeal({ dealname: 'X' });
    fake.throttleNext(2, '3');
    const source = make();
    const stages = await source.listStages();
    expect(stages.length).toBe(5);
    expect(sleeps).toEqual([3000, 3000]);
    const u = source.usage();
    expect(u).toMatchObject({ calls: 3, throttled: 2, dailyLimit: 250_000 });
    expect(u.dailyRemaining).toBe(fake.dailyRemaining);
  });

  it('429 past the retry budget → rate-limited with retryAfter; a DAILY policy is not retried', async () => {
    fake.throttleNext(5, '7');
    const err = await make({ maxRetries: 2 }).listStages().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmSourceError);
    expect((err as CrmSourceError).kind).toBe('rate-limited');
    expect((err as CrmSourceError).retryAfterSeconds).toBe(7);
    expect(sleeps).toEqual([7000, 7000]);
    sleeps.length = 0;
    const f2 = new FakeHubSpot();
    await f2.start();
    try {
      f2.throttleNext(1, null, 'DAILY');
      const e2 = await createHubSpotSource({ accessToken: f2.token, baseUrl: f2.url, timeoutMs: 2000, sleep: async (ms) => void sleeps.push(ms) })
        .listStages()
        .catch((e: unknown) => e);
      expect((e2 as CrmSourceError).kind).toBe('rate-limited');
      expect(sleeps).toEqual([]);
      expect(f2.requests).toHaveLength(1);
    } finally {
      await f2.stop();
    }
  });

  it('401 → auth error whose message never contains the token', async () => {
    const secret = 'pat-na1-very-secret-token-123';
    const err = await make({ accessToken: secret }).pullChanges({ cursor: null, now: NOW }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmSourceError);
    expect((err as CrmSourceError).kind).toBe('auth');
    expect((err as CrmSourceError).message).toContain('401');
    expect((err as CrmSourceError).message).not.toContain(secret);
    expect(JSON.stringify(err)).not.toContain(secret);
    expect(fake.requests[0]!.authorization).toBe(`Bearer ${secret}`);
    expect(fake.requests).toHaveLength(1);
  });

  it('a hanging HubSpot → unavailable after the deadline (retried, bounded)', async () => {
    fake.hangNext(2);
    const started = performance.now();
    const err = await make({ timeoutMs: 150, maxRetries: 1 }).listStages().catch((e: unknown) => e);
    const took = performance.now() - started;
    expect((err as CrmSourceError).kind).toBe('unavailable');
    expect((err as CrmSourceError).message).toMatch(/no answer within 150 ms|no response within 150 ms|network error/);
    expect(took).toBeLessThan(2_000);
    expect(fake.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it('5xx then success is retried with backoff through the injected sleep', async () => {
    fake.failNext(2, 503);
    const stages = await make().listStages();
    expect(stages).toHaveLength(5);
    expect(fake.requests.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(sleeps).toEqual([500, 1000]);
  });

  it('writeBack PATCHes the deal with dealstage, amount and closedate', async () => {
    const d = fake.addDeal({ dealname: 'W', amount: '5' });
    fake.tick(1000);
    await make().writeBack({ crmId: d.id, stageId: 'closedwon', amount: '1200.50', currency: 'EUR', closedAt: new Date('2024-05-31T00:00:00.000Z') });
    const [patch] = fake.requestsTo('PATCH', '/crm/v3/objects/deals/');
    expect(patch!.path).toBe(`/crm/v3/objects/deals/${d.id}`);
    expect(patch!.body).toEqual({ properties: { dealstage: 'closedwon', amount: '1200.50', deal_currency_code: 'EUR', closedate: '2024-05-31T00:00:00.000Z' } });
    expect(fake.deals.get(d.id)!.properties).toMatchObject({ dealstage: 'closedwon', amount: '1200.50', hs_is_closed_won: 'true' });
  });

  it('refuses a cursor it did not write', async () => {
    const err = await make().pullChanges({ cursor: '{"phase":"nope"}', now: NOW }).catch((e: unknown) => e);
    expect((err as CrmSourceError).kind).toBe('bad-response');
    expect(fake.requests).toHaveLength(0);
  });
});
