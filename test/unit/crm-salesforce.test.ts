import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrmSourceError, type TCrmDeal, type TCrmPage, type TCrmRemoval } from '../../src/domain/crm/crm-source.js';
import { createSalesforceSource, type TSalesforceSourceOptions } from '../../src/crm/salesforce/salesforce-source.js';
import { FakeSalesforce } from '../helpers/fake-salesforce.js';

const T0 = Date.UTC(2025, 0, 1);
const NOW = new Date(Date.UTC(2025, 6, 1));
const at = (minutes: number): Date => new Date(T0 + minutes * 60_000);
const oppId = (i: number): string => `006FAKE${String(i).padStart(11, '0')}`;
const STAGES = ['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'];
const TYPES = ['New Business', 'Existing Business', 'Renewal', null];

/** n opportunities; every 10th shares its predecessor's SystemModstamp (ties across rows). */
function seed(sf: FakeSalesforce, n: number): void {
  for (let i = 0; i < n; i += 1) {
    const stageIndex = i % STAGES.length;
    const stage = STAGES[stageIndex]!;
    const created = at(i);
    const modstamp = at(i % 10 === 0 && i > 0 ? 1000 + i - 1 : 1000 + i);
    const opp = sf.addOpportunity({
      Id: oppId(i),
      Name: `Deal ${i}`,
      AccountName: i % 7 === 0 ? null : `Account ${i}`,
      Amount: i % 11 === 0 ? null : 1000 + i + 0.5,
      StageName: 'Prospecting',
      IsClosed: stage.startsWith('Closed'),
      IsWon: stage === 'Closed Won',
      CloseDate: '2025-03-31',
      CreatedDate: created,
      Type: TYPES[i % TYPES.length] ?? null,
      OwnerId: `005FAKE${String(i % 5).padStart(11, '0')}`,
      SystemModstamp: modstamp,
    });
    // Walk the stages up to the current one, one history row per step (plus a non-stage change).
    for (let s = 1; s <= stageIndex; s += 1) sf.history.push({ OpportunityId: opp.Id, StageName: STAGES[s]!, CreatedDate: at(i + s * 5) });
    if (stageIndex > 0) sf.history.push({ OpportunityId: opp.Id, StageName: stage, CreatedDate: at(i + 50) });
    opp.StageName = stage;
  }
}

async function drain(next: (cursor: string | null) => Promise<TCrmPage>, cursor: string | null): Promise<{ pages: TCrmPage[]; cursor: string }> {
  const pages: TCrmPage[] = [];
  let c = cursor;
  for (let guard = 0; guard < 100; guard += 1) {
    const page = await next(c);
    pages.push(page);
    c = page.cursor;
    if (page.done) return { pages, cursor: c };
  }
  throw new Error('no end');
}

describe('Salesforce connector against the loopback fake', () => {
  let sf: FakeSalesforce;
  let tokens: { accessToken: string; refreshToken: string };
  let refreshed: string[];
  let sleeps: number[];

  beforeEach(async () => {
    sf = await new FakeSalesforce().start();
    tokens = sf.issueTokens();
    refreshed = [];
    sleeps = [];
    sf.users.push(
      { Id: '005FAKE00000000000', Email: 'ana@example.com', Name: 'Ana', IsActive: true },
      { Id: '005FAKE00000000001', Email: null, Name: 'Integration User', IsActive: false },
    );
  });
  afterEach(async () => {
    await sf.stop();
  });

  const source = (extra: Partial<TSalesforceSourceOptions> = {}) =>
    createSalesforceSource({
      instanceUrl: `${sf.url}/`,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      oauth: { loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret },
      apiVersion: sf.apiVersion,
      timeoutMs: 2000,
      onTokenRefresh: (token) => {
        refreshed.push(token);
      },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...extra,
    });

  it('lists active stages in SortOrder with StageName values as ids, and owners', async () => {
    const src = source();
    const stages = await src.listStages();
    expect(stages.map((s) => [s.id, s.order, s.isClosed, s.isWon])).toEqual([
      ['Prospecting', 0, false, false],
      ['Qualification', 1, false, false],
      ['Proposal/Price Quote', 2, false, false],
      ['Negotiation/Review', 3, false, false],
      ['Closed Won', 4, true, true],
      ['Closed Lost', 5, true, false],
    ]);
    expect(sf.requestsTo('query').at(-1)?.soql).toBe('SELECT MasterLabel, ApiName, SortOrder, IsClosed, IsWon FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder');
    expect(await src.listOwners()).toEqual([
      { id: '005FAKE00000000000', email: 'ana@example.com', name: 'Ana', active: true },
      { id: '005FAKE00000000001', email: null, name: 'Integration User', active: false },
    ]);
  });

  it('full load: 250 opportunities over 3 pages, each with its stage history, one history query per page', async () => {
    seed(sf, 250);
    sf.pageSize = 100;
    const src = source();
    const { pages, cursor } = await drain((c) => src.pullChanges({ cursor: c, now: NOW }), null);
    expect(pages.map((p) => p.deals.length)).toEqual([100, 100, 50]);
    expect(pages.map((p) => p.done)).toEqual([false, false, true]);
    expect(pages[0]!.total).toBe(250);
    const deals = pages.flatMap((p) => p.deals);
    expect(new Set(deals.map((d) => d.crmId)).size).toBe(250);
    expect(pages.flatMap((p) => p.removals)).toEqual([]);
    // A full load uses query (no deleted rows), without a SystemModstamp bound, still ordered.
    const first = sf.requestsTo('query').find((r) => r.soql?.includes('FROM Opportunity '));
    expect(first?.soql).toMatch(/FROM Opportunity ORDER BY SystemModstamp, Id$/);
    expect(sf.requestsTo('queryAll')).toEqual([]);
    expect(sf.requestsTo('query').filter((r) => r.soql?.includes('FROM OpportunityHistory')).length).toBe(3);

    const d13 = deals.find((d) => d.crmId === oppId(13))!; // stage index 1, 'Existing Business'
    expect(d13).toMatchObject<Partial<TCrmDeal>>({
      title: 'Deal 13',
      customer: 'Account 13',
      amount: '1013.5',
      currency: 'USD',
      stageId: 'Qualification',
      status: 'open',
      closedAt: null,
      type: 'upsell',
      ownerId: '005FAKE00000000003',
      lostReason: null,
      url: `${sf.url}/lightning/r/Opportunity/${oppId(13)}/view`,
    });
    expect(d13.stageHistory).toEqual([
      { stageId: 'Prospecting', enteredAt: at(13) },
      { stageId: 'Qualification', enteredAt: at(18) },
    ]);
    const d14 = deals.find((d) => d.crmId === oppId(14))!; // Proposal, then 'Renewal'; Account missing (14 % 7)
    expect(d14).toMatchObject({ customer: 'Deal 14', type: 'renewal', stageHistory: [{ stageId: 'Prospecting' }, { stageId: 'Qualification' }, { stageId: 'Proposal/Price Quote' }] });
    const won = deals.find((d) => d.crmId === oppId(4))!;
    expect(won).toMatchObject({ status: 'won', closedAt: new Date('2025-03-31T00:00:00.000Z'), type: 'new' });
    expect(deals.find((d) => d.crmId === oppId(5))).toMatchObject({ status: 'lost' });
    expect(deals.find((d) => d.crmId === oppId(11))).toMatchObject({ amount: null });
    expect(JSON.parse(cursor)).toMatchObject({ since: at(1000 + 249).toISOString(), next: null });
  });

  it('incremental: edits after the watermark come back, deletions come back as removals, nothing twice', async () => {
    seed(sf, 30);
    const src = source();
    const full = await drain((c) => src.pullChanges({ cursor: c, now: NOW }), null);
    expect(full.pages.flatMap((p) => p.deals)).toHaveLength(30);

    sf.updateOpportunity(oppId(3), at(5000), { StageName: 'Closed Won', IsClosed: true, IsWon: true, Amount: 9999.99 });
    sf.updateOpportunity(oppId(7), at(5001), { Name: 'Deal 7 renamed' });
    sf.deleteOpportunity(oppId(8), at(5002));
    const inc = await drain((c) => src.pullChanges({ cursor: c, now: NOW }), full.cursor);
    const deals = inc.pages.flatMap((p) => p.deals);
    const removals = inc.pages.flatMap((p) => p.removals);
    expect(deals.map((d) => d.crmId)).toEqual([oppId(3), oppId(7)]);
    expect(deals[0]).toMatchObject({ status: 'won', amount: '9999.99', stageId: 'Closed Won', modifiedAt: at(5000) });
    expect(deals[0]!.stageHistory?.at(-1)).toEqual({ stageId: 'Closed Won', enteredAt: at(5000) });
    expect(removals).toEqual<TCrmRemoval[]>([{ crmId: oppId(8), removedAt: at(5002), mergedIntoCrmId: null }]);
    const soql = sf.requestsTo('queryAll').at(-1)?.soql ?? '';
    expect(soql).toContain(`WHERE SystemModstamp >= ${at(1000 + 29).toISOString().slice(0, 19)}Z`);
    expect(soql).toContain('IsDeleted');

    // Nothing changed since: the next run delivers nothing (the record at the watermark is skipped).
    const idle = await drain((c) => src.pullChanges({ cursor: c, now: NOW }), inc.cursor);
    expect(idle.pages.flatMap((p) => [...p.deals, ...p.removals])).toEqual([]);
  });

  it('a record stamped in the watermark second but read later is delivered, the one already delivered is not', async () => {
    seed(sf, 5);
    const src = source();
    const full = await drain((c) => src.pullChanges({ cursor: c, now: NOW }), null);
    const last = sf.opportunities.get(oppId(4))!.SystemModstamp;
    sf.addOpportunity({
      Id: oppId(900), Name: 'Late commit', AccountName: 'Late', Amount: 5, StageName: 'Prospecting', IsClosed: false, IsWon: false,
      CloseDate: '2025-05-01', CreatedDate: last, Type: null, OwnerId: '005FAKE00000000000', SystemModstamp: new Date(last.getTime()),
    });
    const inc = await drain((c) => src.pullChanges({ cursor: c, now: NOW }), full.cursor);
    expect(inc.pages.flatMap((p) => p.deals.map((d) => d.crmId))).toEqual([oppId(900)]);
  });

  it('resumes mid-load from a stored cursor, and after an expired query locator, without loss or duplicates', async () => {
    seed(sf, 250);
    sf.pageSize = 100;
    const src = source();
    const first = await src.pullChanges({ cursor: null, now: NOW });
    // A new process (fresh source) continues from the committed cursor, after the locator expired.
    sf.expireLocators();
    const rest = await drain((c) => source().pullChanges({ cursor: c, now: NOW }), first.cursor);
    const ids = [...first.deals, ...rest.pages.flatMap((p) => p.deals)].map((d) => d.crmId);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
  });

  it('refreshes an expired access token once, reports it through onTokenRefresh and uses it afterwards', async () => {
    seed(sf, 3);
    const src = source();
    sf.expireAccessToken(tokens.accessToken);
    const page = await src.pullChanges({ cursor: null, now: NOW });
    expect(page.deals).toHaveLength(3);
    expect(refreshed).toHaveLength(1);
    expect(sf.requestsTo('token').map((r) => r.form?.grant_type)).toEqual(['refresh_token']);
    expect(sf.requestsTo('token')[0]?.form?.refresh_token).toBe(tokens.refreshToken);
    const afterRefresh = sf.requests.filter((r) => r.resource !== 'token').slice(1);
    expect(afterRefresh.every((r) => r.token === refreshed[0])).toBe(true);
    await src.listStages();
    expect(sf.requestsTo('token')).toHaveLength(1);
  });

  it("a revoked refresh token is an 'auth' failure whose message carries no token", async () => {
    const src = source();
    sf.expireAccessToken(tokens.accessToken);
    sf.revokeRefreshToken(tokens.refreshToken);
    const error = await src.listStages().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmSourceError);
    expect((error as CrmSourceError).kind).toBe('auth');
    expect((error as CrmSourceError).message).toContain('invalid_grant');
    for (const secret of [tokens.accessToken, tokens.refreshToken, sf.clientSecret]) expect((error as Error).message).not.toContain(secret);
    expect(sf.requestsTo('token')).toHaveLength(1);
    expect(refreshed).toEqual([]);
  });

  it("a refreshed token that is still refused gives 'auth' after one refresh, not a loop", async () => {
    const src = source();
    sf.expireAccessToken(tokens.accessToken);
    sf.failNext.push({ status: 401, body: [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }] });
    await expect(src.listStages()).rejects.toMatchObject({ kind: 'auth' });
    expect(sf.requestsTo('token')).toHaveLength(1);
  });

  it('reads Sforce-Limit-Info into usage() and maps REQUEST_LIMIT_EXCEEDED to rate-limited', async () => {
    sf.apiUsed = 24;
    const src = source();
    await src.listOwners();
    expect(src.usage()).toEqual({ calls: 1, dailyRemaining: 15000 - 25, dailyLimit: 15000, throttled: 0 });
    sf.limitExceeded = true;
    await expect(src.listOwners()).rejects.toMatchObject({ kind: 'rate-limited', message: expect.stringContaining('REQUEST_LIMIT_EXCEEDED') });
    expect(sleeps).toEqual([]);
  });

  it('waits out a 429 Retry-After through the injected sleep, and gives up on one too long', async () => {
    const src = source();
    sf.failNext.push({ status: 429, headers: { 'retry-after': '7' }, body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED_RATE', message: 'slow down' }] });
    await expect(src.listOwners()).resolves.toHaveLength(2);
    expect(sleeps).toEqual([7000]);
    expect(src.usage().throttled).toBe(1);

    sf.failNext.push({ status: 429, headers: { 'retry-after': '3600' }, body: [{ errorCode: 'X', message: 'later' }] });
    const error = await src.listOwners().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'rate-limited', retryAfterSeconds: 3600 });
    expect(sleeps).toEqual([7000]);

    for (let i = 0; i < 5; i += 1) sf.failNext.push({ status: 503, headers: { 'retry-after': '1' }, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'x' }] });
    await expect(src.listOwners()).rejects.toMatchObject({ kind: 'unavailable' });
    expect(sleeps).toEqual([7000, 1000, 1000, 1000]);
    sf.failNext.length = 0;
  });

  it("maps 5xx and a silent server to 'unavailable' within the deadline", async () => {
    sf.failNext.push({ status: 500, body: [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'boom' }] });
    await expect(source().listOwners()).rejects.toMatchObject({ kind: 'unavailable' });
    sf.delayMs = 1000;
    const started = performance.now();
    await expect(source({ timeoutMs: 150 }).listOwners()).rejects.toMatchObject({ kind: 'unavailable', message: expect.stringContaining('150 ms') });
    expect(performance.now() - started).toBeLessThan(900);
    sf.delayMs = 0;
  });

  it('multi-currency org: amounts keep their CurrencyIsoCode, currencies are listed', async () => {
    sf.currencies = [
      { IsoCode: 'USD', ConversionRate: 1, IsCorporate: true, IsActive: true },
      { IsoCode: 'EUR', ConversionRate: 0.92, IsCorporate: false, IsActive: true },
      { IsoCode: 'COP', ConversionRate: 4100.5, IsCorporate: false, IsActive: true },
      { IsoCode: 'GBP', ConversionRate: 0.8, IsCorporate: false, IsActive: false },
    ];
    seed(sf, 3);
    sf.opportunities.get(oppId(1))!.CurrencyIsoCode = 'EUR';
    sf.opportunities.get(oppId(2))!.CurrencyIsoCode = 'COP';
    sf.opportunities.get(oppId(2))!.Amount = 12500000;
    const src = source();
    expect(await src.listCurrencies()).toEqual([
      { isoCode: 'USD', conversionRate: '1', isCorporate: true },
      { isoCode: 'EUR', conversionRate: '0.92', isCorporate: false },
      { isoCode: 'COP', conversionRate: '4100.5', isCorporate: false },
    ]);
    const page = await src.pullChanges({ cursor: null, now: NOW });
    expect(page.deals.map((d) => [d.crmId, d.amount, d.currency])).toEqual([
      [oppId(0), null, 'USD'],
      [oppId(1), '1001.5', 'EUR'],
      [oppId(2), '12500000', 'COP'],
    ]);
    expect(sf.requestsTo('query').find((r) => r.soql?.includes('FROM Opportunity '))?.soql).toContain('CurrencyIsoCode');
  });

  it('single-currency org: no CurrencyIsoCode in the SOQL, the org currency on every deal', async () => {
    sf.orgCurrency = 'MXN';
    seed(sf, 2);
    const src = source();
    expect(await src.isMultiCurrency()).toBe(false);
    expect(await src.listCurrencies()).toEqual([{ isoCode: 'MXN', conversionRate: '1', isCorporate: true }]);
    const page = await src.pullChanges({ cursor: null, now: NOW });
    expect(page.deals.map((d) => d.currency)).toEqual(['MXN', 'MXN']);
    expect(sf.requestsTo('query').find((r) => r.soql?.includes('FROM Opportunity '))?.soql).not.toContain('CurrencyIsoCode');
  });

  it('reads the lost reason from a configured custom field on lost deals only', async () => {
    sf.customFields.add('Loss_Reason__c');
    seed(sf, 6);
    sf.opportunities.get(oppId(5))!.custom.Loss_Reason__c = 'Price';
    sf.opportunities.get(oppId(4))!.custom.Loss_Reason__c = 'stale value on a won deal';
    const page = await source({ lostReasonField: 'Loss_Reason__c' }).pullChanges({ cursor: null, now: NOW });
    expect(page.deals.find((d) => d.crmId === oppId(5))).toMatchObject({ status: 'lost', lostReason: 'Price' });
    expect(page.deals.find((d) => d.crmId === oppId(4))).toMatchObject({ status: 'won', lostReason: null });
    expect(() => source({ lostReasonField: 'Name FROM User --' })).not.toThrow();
    await expect(source({ lostReasonField: 'Name FROM User --' }).pullChanges({ cursor: null, now: NOW })).rejects.toThrow(/field API name/);
  });
  it('writes a won status back as the first won stage, with amount and close date, then reads it back', async () => {
    seed(sf, 2);
    const src = source();
    await src.writeBack!({ crmId: oppId(1), status: 'won', amount: '12000.50', closedAt: new Date('2025-06-15T00:00:00Z') });
    const sent = sf.requestsTo('update');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.path).toBe(`/services/data/v${sf.apiVersion}/sobjects/Opportunity/${oppId(1)}`);
    expect(sent[0]?.body).toEqual({ StageName: 'Closed Won', Amount: 12000.5, CloseDate: '2025-06-15' });
    const page = await src.pullChanges({ cursor: null, now: NOW });
    expect(page.deals.find((d) => d.crmId === oppId(1))).toMatchObject({ status: 'won', amount: '12000.5', closedAt: new Date('2025-06-15T00:00:00Z'), modifiedAt: sf.writeTime });
  });

  it("refuses write-backs Salesforce cannot hold, and maps a validation error to 'bad-response'", async () => {
    seed(sf, 1);
    const src = source();
    await expect(src.writeBack!({ crmId: oppId(0), currency: 'EUR' })).rejects.toMatchObject({ kind: 'bad-response' });
    await expect(src.writeBack!({ crmId: oppId(0), amount: '1e9' })).rejects.toMatchObject({ kind: 'bad-response' });
    await expect(src.writeBack!({ crmId: "006' OR Id != '", status: 'lost' })).rejects.toMatchObject({ kind: 'bad-response' });
    await expect(src.writeBack!({ crmId: oppId(0), stageId: 'No Such Stage' })).rejects.toMatchObject({
      kind: 'bad-response',
      message: expect.stringContaining('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'),
    });
    expect(sf.requestsTo('update')).toHaveLength(1);
  });

  it('fails the operation when the refreshed token cannot be stored, instead of dropping it', async () => {
    const src = source({
      onTokenRefresh: () => {
        throw new Error('vault down');
      },
    });
    sf.expireAccessToken(tokens.accessToken);
    await expect(src.listOwners()).rejects.toMatchObject({ kind: 'unavailable', message: expect.stringContaining('Storing the refreshed') });
  });
  it('chunks the stage-history look-up of a 700-deal page into URLs under 16 KB', async () => {
    seed(sf, 700);
    const page = await source().pullChanges({ cursor: null, now: NOW });
    expect(page.deals).toHaveLength(700);
    expect(page.deals.every((d) => (d.stageHistory?.length ?? 0) >= 1)).toBe(true);
    const history = sf.requestsTo('query').filter((r) => r.soql?.includes('FROM OpportunityHistory'));
    expect(history).toHaveLength(3);
    for (const r of history) expect(`${sf.url}${r.path}?q=${encodeURIComponent(r.soql ?? '')}`.length).toBeLessThan(16_000);
  });
});
