import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrmSourceError, type TCrmDeal, type TCrmPage, type TCrmRemoval } from '../../src/domain/crm/crm-source.js';
import { createPipedriveSource, type TPipedriveSource } from '../../src/crm/pipedrive/create-pipedrive-source.js';
import { FakePipedrive, type FakePdDeal } from '../helpers/fake-pipedrive.js';

const TOKEN = 'pd-token-5f3a9c1e7b2d4a68';
const NOW = new Date('2025-03-02T00:00:00Z');

/** A fake company: 2 pipelines, 5 stages, 3 users, 4 organizations, `deals` deals in varied states. */
function seed(fake: FakePipedrive, deals: number): FakePdDeal[] {
  const sales = fake.addPipeline({ id: 1, name: 'Sales', order_nr: 1 });
  const renewals = fake.addPipeline({ id: 2, name: 'Renewals', order_nr: 2 });
  fake.addStage({ id: 13, name: 'Negotiation', pipeline_id: sales.id, order_nr: 7 });
  fake.addStage({ id: 11, name: 'Qualified', pipeline_id: sales.id, order_nr: 2 });
  fake.addStage({ id: 12, name: 'Demo', pipeline_id: sales.id, order_nr: 5 });
  fake.addStage({ id: 21, name: 'Due', pipeline_id: renewals.id, order_nr: 1 });
  fake.addStage({ id: 22, name: 'Signed', pipeline_id: renewals.id, order_nr: 3 });
  fake.addStage({ id: 14, name: 'Old stage', pipeline_id: sales.id, order_nr: 9, is_deleted: true });
  fake.addUser({ id: 101, name: 'Ana Ruiz', email: 'Ana@Example.com' });
  fake.addUser({ id: 102, name: 'Bo Lind', email: 'bo@example.com' });
  fake.addUser({ id: 103, name: 'Cy Gone', email: 'cy@example.com', active_flag: false });
  const orgs = ['Acme GmbH', 'Globex', 'Initech', 'Umbrella'].map((name, i) => fake.addOrg(name, 500 + i));
  const out: FakePdDeal[] = [];
  for (let i = 0; i < deals; i += 1) {
    fake.tick(i % 3 === 0 ? 0 : 1); // several deals share a second, as real bulk edits do
    const status = i % 5 === 0 ? 'won' : i % 7 === 0 ? 'lost' : 'open';
    out.push(
      fake.addDeal({
        id: 1000 + i,
        title: `Deal ${i}`,
        value: i % 11 === 0 ? null : 1000 + i + 0.5,
        currency: i % 4 === 0 ? 'COP' : 'EUR',
        status,
        stage_id: i % 2 === 0 ? 11 : 21,
        pipeline_id: i % 2 === 0 ? 1 : 2,
        owner_id: 101 + (i % 3),
        org_id: i % 6 === 0 ? null : orgs[i % 4]!.id,
        won_time: status === 'won' ? fake.now() : null,
        lost_time: status === 'lost' ? fake.now() : null,
        close_time: status === 'open' ? null : fake.now(),
        lost_reason: status === 'lost' ? 'Too expensive' : null,
      }),
    );
  }
  return out;
}

/** Pulls pages until `done`, as the sync would, returning every page. */
async function pullRun(source: TPipedriveSource, cursor: string | null): Promise<TCrmPage[]> {
  const pages: TCrmPage[] = [];
  let next = cursor;
  for (let i = 0; i < 100; i += 1) {
    const page = await source.pullChanges({ cursor: next, now: NOW });
    pages.push(page);
    next = page.cursor;
    if (page.done) return pages;
  }
  throw new Error('pull never finished');
}

const dealsOf = (pages: TCrmPage[]): TCrmDeal[] => pages.flatMap((p) => p.deals);
const removalsOf = (pages: TCrmPage[]): TCrmRemoval[] => pages.flatMap((p) => p.removals);

describe('Pipedrive connector against the loopback fake', () => {
  let fake: FakePipedrive;
  let slept: number[];
  let source: TPipedriveSource;

  const make = (over: Partial<Parameters<typeof createPipedriveSource>[0]> = {}): TPipedriveSource =>
    createPipedriveSource({
      apiToken: TOKEN,
      baseUrl: fake.url,
      timeoutMs: 2000,
      pageSize: 100,
      appUrl: 'https://acme.pipedrive.com',
      sleep: async (ms) => {
        slept.push(ms);
      },
      ...over,
    });

  beforeEach(async () => {
    fake = await new FakePipedrive(TOKEN).start();
    slept = [];
    source = make();
  });
  afterEach(async () => {
    await fake.stop();
  });

  it('lists stages per pipeline in order_nr order, 0-based, without won/lost stages', async () => {
    seed(fake, 0);
    const stages = await source.listStages();
    expect(stages.map((s) => [s.id, s.pipelineLabel, s.label, s.order])).toEqual([
      ['11', 'Sales', 'Qualified', 0],
      ['12', 'Sales', 'Demo', 1],
      ['13', 'Sales', 'Negotiation', 2],
      ['21', 'Renewals', 'Due', 0],
      ['22', 'Renewals', 'Signed', 1],
    ]);
    expect(stages.every((s) => !s.isWon && !s.isClosed)).toBe(true);
  });

  it('asks GET /v1/users/me for the company domain: https://<company_domain>.pipedrive.com; anything but a plain DNS label gives no address', async () => {
    seed(fake, 0);
    fake.companyDomain = 'acme-eu';
    expect(await source.accountAppUrl()).toBe('https://acme-eu.pipedrive.com');
    fake.companyDomain = 'evil.example/x?';
    expect(await source.accountAppUrl()).toBeNull();
    const asked = fake.requestsTo('GET', '/v1/users/me');
    expect(asked).toHaveLength(2);
    expect(asked.every((r) => r.tokenHeader === TOKEN && r.tokenQuery === undefined)).toBe(true);
  });

  const flowCalls = (): string[] => fake.requests.filter((r) => r.path.endsWith('/flow')).map((r) => r.path);

  it('full load: each deal past its pipeline\'s first stage gets its stage history from its flow (one request each, dealChange items only); others and incremental runs ask for none', async () => {
    seed(fake, 12);
    const at = (): Date => new Date(fake.clockMs);
    fake.tick(60).editDeal(1000, { stage_id: 12 });
    const demoAt = at();
    fake.tick(60).editDeal(1000, { stage_id: 13, value: 5 });
    const negotiationAt = at();
    fake.tick(60).editDeal(1001, { stage_id: 22 });
    fake.tick(60).editDeal(1002, { title: 'Renamed' });
    fake.tick(60).editDeal(1004, { stage_id: 12 });
    fake.tick(60).editDeal(1004, { stage_id: 11 }); // moved back to the first stage: not asked (see README)
    await source.listStages();
    const pages = await pullRun(source, null);
    const byId = new Map(dealsOf(pages).map((d) => [d.crmId, d]));
    expect(flowCalls().sort()).toEqual(['/v1/deals/1000/flow', '/v1/deals/1001/flow']);
    expect(fake.requests.filter((r) => r.path.endsWith('/flow')).every((r) => r.query.items === 'dealChange')).toBe(true);
    expect(byId.get('1000')!.stageHistory).toEqual([
      { stageId: '11', enteredAt: new Date(fake.deals.get(1000)!.add_time) },
      { stageId: '12', enteredAt: demoAt },
      { stageId: '13', enteredAt: negotiationAt },
    ]);
    expect(byId.get('1001')!.stageHistory?.map((e) => e.stageId)).toEqual(['21', '22']);
    expect(byId.get('1002')!.stageHistory).toBeNull();
    expect(byId.get('1004')!.stageHistory).toBeNull();

    fake.tick(60).editDeal(1006, { stage_id: 13 });
    const incremental = await pullRun(source, pages.at(-1)!.cursor);
    expect(dealsOf(incremental).map((d) => [d.crmId, d.stageHistory])).toEqual([['1006', null]]);
    expect(flowCalls()).toHaveLength(2);
  });

  it('a page whose deals need many flows comes in parts; a run stopped between parts resumes from the cursor with no deal twice; a 429 on a flow is waited out', async () => {
    seed(fake, 10);
    for (const id of [1000, 1002, 1004, 1006, 1008]) fake.tick(1).editDeal(id, { stage_id: 12 });
    const first = await make({ flowDealsPerPart: 2 }).pullChanges({ cursor: null, now: NOW });
    expect(first.done).toBe(false);
    expect(first.deals.filter((d) => d.stageHistory !== null)).toHaveLength(2);
    expect(flowCalls()).toHaveLength(2);
    // Another process (the first one was killed after committing this part) goes on from the cursor.
    fake.throttlePath(/\/flow$/, 1, '3');
    const rest = await pullRun(make({ flowDealsPerPart: 2 }), first.cursor);
    expect(rest).toHaveLength(2); // parts of 2, 2 and 1 flows
    const all = [...first.deals, ...dealsOf(rest)];
    expect(all).toHaveLength(10);
    expect(new Set(all.map((d) => d.crmId)).size).toBe(10);
    expect(all.filter((d) => d.stageHistory !== null).map((d) => d.crmId).sort()).toEqual(['1000', '1002', '1004', '1006', '1008']);
    expect(slept).toContain(3000);
    expect(flowCalls()).toHaveLength(5 + 1); // one per deal, plus the refused one
    // The next run starts after the page: nothing again.
    expect(dealsOf(await pullRun(make(), rest.at(-1)!.cursor))).toEqual([]);
  });

  it('a long flow is read page by page (offset paging) and its oldest stage change still counts', async () => {
    seed(fake, 2);
    fake.tick(1).editDeal(1000, { stage_id: 12 });
    const movedAt = new Date(fake.clockMs);
    for (let k = 0; k < 600; k += 1) fake.tick(1).editDeal(1000, { title: `Deal 0 v${k}` });
    await source.listStages();
    const deals = dealsOf(await pullRun(source, null));
    expect(fake.requests.filter((r) => r.path === '/v1/deals/1000/flow').map((r) => r.query.start)).toEqual(['0', '500']);
    expect(deals.find((d) => d.crmId === '1000')!.stageHistory).toEqual([
      { stageId: '11', enteredAt: new Date(fake.deals.get(1000)!.add_time) },
      { stageId: '12', enteredAt: movedAt },
    ]);
  });

  it('lists owners with lower-cased emails and the active flag', async () => {
    seed(fake, 0);
    const owners = await source.listOwners();
    expect(owners).toEqual([
      { id: '101', email: 'ana@example.com', name: 'Ana Ruiz', active: true },
      { id: '102', email: 'bo@example.com', name: 'Bo Lind', active: true },
      { id: '103', email: 'cy@example.com', name: 'Cy Gone', active: false },
    ]);
    expect(fake.requestsTo('GET', '/v1/users')).toHaveLength(1);
  });

  it('full load: 250 deals over 3 pages, each once, mapped field by field, token only in the header', async () => {
    const seeded = seed(fake, 250);
    const pages = await pullRun(source, null);
    expect(pages.map((p) => [p.deals.length, p.done])).toEqual([
      [100, false],
      [100, false],
      [50, true],
    ]);
    const deals = dealsOf(pages);
    expect(new Set(deals.map((d) => d.crmId)).size).toBe(250);
    expect(removalsOf(pages)).toEqual([]);

    const byId = new Map(deals.map((d) => [d.crmId, d]));
    for (const s of seeded) {
      const d = byId.get(String(s.id))!;
      expect(d.status).toBe(s.status);
      expect(d.amount).toBe(s.value === null ? null : String(s.value));
      expect(d.customer).toBe(s.org_id === null ? s.title : fake.orgs.get(s.org_id)!.name);
      expect(d.stageId).toBe(String(s.stage_id));
      expect(d.ownerId).toBe(String(s.owner_id));
    }
    const won = byId.get('1005')!;
    expect(won).toMatchObject({ status: 'won', amount: '1005.5', currency: 'EUR', customer: 'Globex', pipelineId: '2', stageHistory: null, url: 'https://acme.pipedrive.com/deal/1005' });
    expect(won.closedAt?.toISOString()).toBe(new Date(seeded[5]!.won_time!).toISOString());
    const lost = byId.get('1007')!;
    expect(lost).toMatchObject({ status: 'lost', lostReason: 'Too expensive' });
    expect(lost.closedAt).not.toBeNull();
    expect(byId.get('1004')!.currency).toBe('COP');
    expect(byId.get('1001')!.closedAt).toBeNull();

    const dealCalls = fake.requestsTo('GET', '/api/v2/deals');
    expect(dealCalls).toHaveLength(3);
    for (const r of dealCalls) {
      expect(r.query).toMatchObject({ sort_by: 'update_time', sort_direction: 'asc', limit: '100', status: 'open,won,lost,deleted' });
      expect(r.query.updated_since).toBeUndefined();
    }
    expect(fake.requests.every((r) => r.tokenHeader === TOKEN && r.tokenQuery === undefined)).toBe(true);
    // 4 organizations looked up once, then cached: one call for the whole load.
    expect(fake.requestsTo('GET', '/api/v2/organizations')).toHaveLength(1);
    expect(source.usage().calls).toBe(fake.requests.length);
  });

  it('incremental: only deals edited or added after the last run, from its newest update_time, none repeated', async () => {
    seed(fake, 250);
    const first = await pullRun(source, null);
    const committed = first[first.length - 1]!.cursor;
    const lastUpdate = [...fake.deals.values()].map((d) => d.update_time).sort().pop()!;

    // Nothing changed: the boundary deals come back from Pipedrive but are not repeated.
    const idle = await pullRun(source, committed);
    expect(dealsOf(idle)).toEqual([]);
    expect(fake.requestsTo('GET', '/api/v2/deals').at(-1)!.query.updated_since).toBe(lastUpdate);

    fake.tick(60);
    fake.editDeal(1010, { status: 'won', won_time: fake.now(), close_time: fake.now() });
    fake.editDeal(1042, { value: 99_999.99 });
    fake.tick(1);
    fake.editDeal(1100, { stage_id: 12 });
    fake.addDeal({ id: 5000, title: 'Fresh deal', stage_id: 11, pipeline_id: 1, owner_id: 101, value: 42 });
    const second = await pullRun(source, idle[idle.length - 1]!.cursor);
    expect(dealsOf(second).map((d) => d.crmId).sort()).toEqual(['1010', '1042', '1100', '5000']);
    const changed = new Map(dealsOf(second).map((d) => [d.crmId, d]));
    expect(changed.get('1010')!.status).toBe('won');
    expect(changed.get('1042')!.amount).toBe('99999.99');
    expect(changed.get('1100')!.stageId).toBe('12');

    // A deal edited again within the same second as the watermark is not lost to the de-duplication.
    fake.editDeal(5000, { value: 1 });
    const third = await pullRun(source, second[second.length - 1]!.cursor);
    expect(dealsOf(third).map((d) => [d.crmId, d.amount])).toEqual([['5000', '1']]);
  });

  it('a cursor from the middle of a run resumes exactly after that page', async () => {
    seed(fake, 250);
    const firstPage = await source.pullChanges({ cursor: null, now: NOW });
    const resumed = await pullRun(make(), firstPage.cursor); // a new instance, as after a crash
    const all = [...firstPage.deals, ...dealsOf(resumed)].map((d) => d.crmId);
    expect(all).toHaveLength(250);
    expect(new Set(all).size).toBe(250);
  });

  it('a deleted deal becomes a removal, not a deal', async () => {
    seed(fake, 30);
    const first = await pullRun(source, null);
    fake.tick(5);
    fake.deleteDeal(1003);
    const second = await pullRun(source, first.at(-1)!.cursor);
    expect(dealsOf(second)).toEqual([]);
    expect(removalsOf(second)).toEqual([{ crmId: '1003', removedAt: new Date(fake.now()), mergedIntoCrmId: null }]);
    // Without status=deleted Pipedrive would not list it at all.
    expect(fake.requestsTo('GET', '/api/v2/deals').at(-1)!.query.status).toContain('deleted');
  });

  it('429 with Retry-After: waits it out through the injected sleep, then succeeds; usage counts it', async () => {
    seed(fake, 10);
    fake.throttle(2, '3');
    const pages = await pullRun(source, null);
    expect(dealsOf(pages)).toHaveLength(10);
    expect(slept).toEqual([3000, 3000]);
    const usage = source.usage();
    expect(usage.throttled).toBe(2);
    expect(usage.calls).toBe(fake.requests.length);
    expect(usage.calls).toBe(6); // 2 refused + deals + organizations + pipelines and stages (a full load asks which stage comes first)
  });

  it('429 past the bounded retries, or a Retry-After beyond the longest wait: rate-limited with the wait', async () => {
    seed(fake, 3);
    fake.throttle(4, '2');
    const err = await source.pullChanges({ cursor: null, now: NOW }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmSourceError);
    expect((err as CrmSourceError).kind).toBe('rate-limited');
    expect((err as CrmSourceError).retryAfterSeconds).toBe(2);
    expect(slept).toEqual([2000, 2000, 2000]);

    slept.length = 0;
    fake.throttle(1, '86400'); // the daily budget is spent: do not sleep until tomorrow
    const daily = await source.listOwners().catch((e: unknown) => e);
    expect((daily as CrmSourceError).kind).toBe('rate-limited');
    expect((daily as CrmSourceError).retryAfterSeconds).toBe(86400);
    expect(slept).toEqual([]);
  });

  it('a spent 2-second burst window (x-ratelimit-remaining 0) pauses the next call for x-ratelimit-reset', async () => {
    seed(fake, 1);
    fake.headersNext({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' });
    await source.listOwners();
    expect(slept).toEqual([]);
    await source.listOwners();
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(1500);
    expect(slept[0]).toBeLessThanOrEqual(2000);
    await source.listOwners(); // the window was not reported spent again
    expect(slept).toHaveLength(1);
  });

  it('reads the daily write budget from x-daily-requests-left', async () => {
    seed(fake, 1);
    expect(source.usage().dailyRemaining).toBeNull();
    await source.writeBack!({ crmId: '1000', status: 'won' });
    expect(source.usage().dailyRemaining).toBe(9999);
  });

  it('wrong token: auth, and the token appears in neither message nor stack nor JSON of the error', async () => {
    seed(fake, 1);
    const wrong = 'wrong-token-8d7e6f5a4b3c2d1e';
    const bad = make({ apiToken: wrong });
    for (const attempt of [() => bad.pullChanges({ cursor: null, now: NOW }), () => bad.listStages(), () => bad.listOwners()]) {
      const err = await attempt().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CrmSourceError);
      expect((err as CrmSourceError).kind).toBe('auth');
      const text = `${(err as Error).message} ${(err as Error).stack} ${JSON.stringify(err)}`;
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(TOKEN);
    }
    expect(fake.requests.every((r) => r.status === 401 && r.tokenHeader === wrong && !JSON.stringify(r.query).includes(wrong))).toBe(true);
  });

  it('a hung server: unavailable after the deadline; a 5xx: unavailable; a 404: bad-response', async () => {
    seed(fake, 1);
    const quick = make({ timeoutMs: 300 });
    fake.stallNext(3000);
    const started = performance.now();
    const err = await quick.listOwners().catch((e: unknown) => e);
    expect((err as CrmSourceError).kind).toBe('unavailable');
    expect((err as Error).message).toContain('timed out');
    expect(performance.now() - started).toBeLessThan(2000);

    fake.failNext(503);
    expect(((await source.listStages().catch((e: unknown) => e)) as CrmSourceError).kind).toBe('unavailable');
    const missing = await source.writeBack!({ crmId: '424242', status: 'lost' }).catch((e: unknown) => e);
    expect((missing as CrmSourceError).kind).toBe('bad-response');
  });

  it('an unreachable host is unavailable', async () => {
    const port = fake.port;
    await fake.stop();
    const gone = createPipedriveSource({ apiToken: TOKEN, baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1000 });
    const err = await gone.listOwners().catch((e: unknown) => e);
    expect((err as CrmSourceError).kind).toBe('unavailable');
    fake = await new FakePipedrive(TOKEN).start(); // for afterEach
  });

  it('the caller aborting ends the call with its own reason, not a CRM failure', async () => {
    seed(fake, 1);
    fake.stallNext(3000);
    const controller = new AbortController();
    const pending = source.listStages(controller.signal).catch((e: unknown) => e);
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    const err = await pending;
    expect(err).not.toBeInstanceOf(CrmSourceError);
    expect((err as Error).message).toBe('shutting down');
  });

  it('writeBack PATCHes /api/v2/deals/{id} with status, stage, value, currency and close times', async () => {
    seed(fake, 2);
    await source.writeBack!({ crmId: '1001', status: 'won', stageId: '13', amount: '12000.50', currency: 'usd', closedAt: new Date('2025-02-28T17:30:00Z') });
    const [patch] = fake.requestsTo('PATCH', '/api/v2/deals/1001');
    expect(patch!.body).toEqual({ status: 'won', stage_id: 13, value: 12000.5, currency: 'USD', close_time: '2025-02-28T17:30:00Z', won_time: '2025-02-28T17:30:00Z' });
    expect(patch!.tokenHeader).toBe(TOKEN);
    expect(fake.deals.get(1001)).toMatchObject({ status: 'won', stage_id: 13, value: 12000.5 });

    await source.writeBack!({ crmId: '1000', status: 'lost', lostReason: 'No budget' });
    expect(fake.requestsTo('PATCH', '/api/v2/deals/1000')[0]!.body).toEqual({ status: 'lost', lost_reason: 'No budget' });

    const inexact = await source.writeBack!({ crmId: '1000', amount: '1234567890123456.78' }).catch((e: unknown) => e);
    expect((inexact as CrmSourceError).kind).toBe('bad-response');
    expect(fake.requestsTo('PATCH', '/api/v2/deals/1000')).toHaveLength(1);
  });

  it('fetchDeals reads given deals by id, with their organization', async () => {
    seed(fake, 12);
    fake.deleteDeal(1002);
    const deals = await source.fetchDeals({ crmIds: ['1001', '1002', '1007', 'x'], now: NOW });
    expect(deals.map((d) => [d.crmId, d.customer])).toEqual([
      ['1001', 'Globex'],
      ['1007', 'Umbrella'],
    ]);
    expect(fake.requestsTo('GET', '/api/v2/deals')[0]!.query.ids).toBe('1001,1002,1007');
  });
});
