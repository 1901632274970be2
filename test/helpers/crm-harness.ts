import type { TCrmCredentials } from '../../src/domain/crm/credentials.js';
import type { TCrmVendor } from '../../src/domain/crm/crm-source.js';
import type { TCrmSourceOptions } from '../../src/crm/registry.js';
import { FakeHubSpot } from './fake-hubspot.js';
import { FakePipedrive, pdTime } from './fake-pipedrive.js';
import { FakeSalesforce } from './fake-salesforce.js';

/**
 * One way to drive each vendor's loopback fake (add, edit, remove deals, throttle, read its truth),
 * shared by the per-vendor sync tests (test/db/crm-sync-vendors.test.ts) and the bench's CRM section.
 */
export type TStatus = 'open' | 'won' | 'lost';

/** A deal as a test writes it into a fake. */
export interface TSpec {
  status: TStatus;
  /** USD cents. */
  cents: number;
  closedAt: Date | null;
  name: string;
  owner: 0 | 1;
  /** When the deal was created in the CRM (default: the fake's clock at `add`). */
  createdAt?: Date;
  /**
   * Open stages the deal goes through, as indexes into the harness's `openStages`, in order: it is
   * created in the first and moved (one CRM edit each) through the others before its status is set.
   * Default: the vendor's usual open stage (see each harness). In `edit`: stages it moves to.
   */
  path?: readonly number[];
}

/** What the CRM holds for one live record, read from the fake's own state (not through the app). */
export interface TTruth {
  id: string;
  status: TStatus;
  closedAt: Date | null;
  cents: bigint;
  createdAt: Date;
  /** The open CRM stages (ids) the test put the deal in, oldest first: recorded by the harness, not read back through the app. */
  visited: string[];
  /** Whether the test ever set the deal won (a deal won once passed every open stage, whatever came after). */
  wasWon: boolean;
}

export interface THarness {
  vendor: TCrmVendor;
  /** The vendor's open stages (CRM ids) in pipeline order: `TSpec.path` indexes them. */
  openStages: readonly string[];
  url: string;
  credentials: TCrmCredentials;
  extra: Partial<TCrmSourceOptions>;
  add(spec: TSpec): string;
  edit(id: string, spec: Partial<TSpec>): void;
  remove(id: string): void;
  /** The next call answers 429 with Retry-After: 1. */
  throttle(): void;
  truth(): TTruth[];
  /** The fake's clock: a sync runs just after the last change made in the CRM, as in real life. */
  now(): Date;
  /** Moves the fake's clock on. */
  advance(seconds: number): void;
  stop(): Promise<void>;
}

export const money = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

export async function hubspotHarness(): Promise<THarness & { merge(a: string, b: string): string; fake: FakeHubSpot }> {
  const hs = await new FakeHubSpot().start();
  hs.now = new Date('2025-07-01T00:00:00Z');
  hs.addOwner({ id: '501', email: 'ana@example.com', firstName: 'Ana', lastName: 'Garcia' }).addOwner({ id: '502', email: 'ben@example.com', firstName: 'Ben', lastName: 'Okafor' });
  const openStages = ['appointmentscheduled', 'qualifiedtobuy', 'contractsent'];
  const visits = new Map<string, string[]>();
  const wonOnce = new Set<string>();
  const stage = (s: TStatus): string => (s === 'won' ? 'closedwon' : s === 'lost' ? 'closedlost' : 'qualifiedtobuy');
  const props = (spec: Partial<TSpec>): Record<string, string | null> => ({
    ...(spec.name !== undefined ? { dealname: spec.name } : {}),
    ...(spec.cents !== undefined ? { amount: money(spec.cents) } : {}),
    ...(spec.status !== undefined ? { dealstage: stage(spec.status) } : {}),
    ...(spec.closedAt !== undefined ? { closedate: spec.closedAt ? spec.closedAt.toISOString() : null } : {}),
    ...(spec.owner !== undefined ? { hubspot_owner_id: spec.owner === 0 ? '501' : '502' } : {}),
  });
  /** Moves a deal through open stages (one edit each), as a rep would in HubSpot. */
  const move = (id: string, path: readonly number[]): void => {
    for (const i of path) {
      hs.updateDeal(id, { dealstage: openStages[i]! }, hs.tick(1000));
      visits.get(id)?.push(openStages[i]!);
    }
  };
  return {
    vendor: 'hubspot',
    openStages,
    fake: hs,
    url: hs.url,
    credentials: { accessToken: hs.token },
    extra: {},
    add: (spec) => {
      const path = spec.path ?? [];
      const first = path[0] === undefined ? null : openStages[path[0]]!;
      // With a path: created open in its first stage, moved on, then closed (when it is).
      const d = hs.addDeal({ ...props(spec), ...(first ? { dealstage: first } : {}), deal_currency_code: 'USD' }, hs.tick(1000));
      visits.set(d.id, first ? [first] : spec.status === 'open' ? [stage('open')] : []);
      if (spec.createdAt) {
        d.createdAt = spec.createdAt;
        hs.updateDeal(d.id, {}, d.updatedAt);
      }
      if (first) {
        move(d.id, path.slice(1));
        if (spec.status !== 'open') hs.updateDeal(d.id, { dealstage: stage(spec.status) }, hs.tick(1000));
      }
      if (spec.status === 'won') wonOnce.add(d.id);
      return d.id;
    },
    edit: (id, spec) => {
      if (spec.path) move(id, spec.path);
      hs.updateDeal(id, props(spec), hs.tick(1000));
      if (spec.status === 'won') wonOnce.add(id);
    },
    remove: (id) => hs.deleteDeal(id, hs.tick(1000)),
    merge: (a, b) => hs.mergeDeals(a, b, hs.tick(1000)).id,
    throttle: () => void hs.throttleNext(1, '1'),
    truth: () =>
      [...hs.deals.values()]
        .filter((d) => !d.archived)
        .map((d) => {
          const s = d.properties.dealstage;
          const status: TStatus = s === 'closedwon' ? 'won' : s === 'closedlost' ? 'lost' : 'open';
          return { id: d.id, status, closedAt: d.properties.closedate ? new Date(d.properties.closedate) : null, cents: BigInt((d.properties.amount ?? '0').replace('.', '')), createdAt: d.createdAt, visited: [...(visits.get(d.id) ?? [])], wasWon: wonOnce.has(d.id) };
        }),
    now: () => hs.now,
    advance: (seconds) => void hs.tick(seconds * 1000),
    stop: () => hs.stop(),
  };
}

export async function pipedriveHarness(): Promise<THarness & { fake: FakePipedrive }> {
  const token = 'e2e-pipedrive-token-0123456789abcdef';
  const pd = await new FakePipedrive(token, Date.UTC(2025, 6, 1)).start();
  const pipeline = pd.addPipeline({ name: 'Sales' });
  const lead = pd.addStage({ name: 'Lead', pipeline_id: pipeline.id, order_nr: 1 });
  // Named like the workspace's default funnel stages, so the default stage mapping is the obvious one.
  const later = ['Contacted', 'Demo', 'Proposal'].map((name, i) => pd.addStage({ name, pipeline_id: pipeline.id, order_nr: i + 2 }));
  const openStages = [lead, ...later].map((s) => String(s.id));
  const visits = new Map<string, string[]>();
  const wonOnce = new Set<string>();
  /** Moves a deal through open stages (one edit each), as a rep would in Pipedrive. */
  const move = (id: string, path: readonly number[]): void => {
    for (const i of path) {
      pd.tick(1);
      pd.editDeal(Number(id), { stage_id: Number(openStages[i]) });
      visits.get(id)?.push(openStages[i]!);
    }
  };
  const users = [pd.addUser({ name: 'Ana Garcia', email: 'ana@example.com' }), pd.addUser({ name: 'Ben Okafor', email: 'ben@example.com' })];
  const fields = (spec: Partial<TSpec>) => ({
    ...(spec.name !== undefined ? { title: spec.name } : {}),
    ...(spec.cents !== undefined ? { value: spec.cents / 100 } : {}),
    ...(spec.status !== undefined ? { status: spec.status } : {}),
    ...(spec.closedAt !== undefined || spec.status !== undefined
      ? {
          won_time: spec.status === 'won' && spec.closedAt ? pdTime(spec.closedAt.getTime()) : null,
          lost_time: spec.status === 'lost' && spec.closedAt ? pdTime(spec.closedAt.getTime()) : null,
          close_time: spec.status !== 'open' && spec.closedAt ? pdTime(spec.closedAt.getTime()) : null,
        }
      : {}),
    ...(spec.owner !== undefined ? { owner_id: users[spec.owner]!.id } : {}),
  });
  return {
    vendor: 'pipedrive',
    openStages,
    fake: pd,
    url: pd.url,
    credentials: { apiToken: token },
    extra: {},
    add: (spec) => {
      pd.tick(1);
      const path = spec.path ?? [0];
      const first = openStages[path[0] ?? 0]!;
      const id = String(pd.addDeal({ title: spec.name, stage_id: Number(first), pipeline_id: pipeline.id, owner_id: users[spec.owner]!.id, currency: 'USD', ...fields(spec), ...(spec.createdAt ? { add_time: pdTime(spec.createdAt.getTime()) } : {}) }).id);
      visits.set(id, [first]);
      move(id, path.slice(1));
      if (spec.status === 'won') wonOnce.add(id);
      return id;
    },
    edit: (id, spec) => {
      if (spec.path) move(id, spec.path);
      if (spec.status === 'won') wonOnce.add(id);
      pd.tick(1);
      const deal = pd.deals.get(Number(id));
      // A status change without a new date keeps the deal's close date.
      const closedAt = spec.closedAt !== undefined ? spec.closedAt : deal?.close_time ? new Date(deal.close_time) : null;
      pd.editDeal(Number(id), fields({ ...spec, ...(spec.status !== undefined ? { closedAt } : {}) }));
    },
    remove: (id) => {
      pd.tick(1);
      pd.deleteDeal(Number(id));
    },
    throttle: () => void pd.throttle(1, '1'),
    truth: () =>
      [...pd.deals.values()]
        .filter((d) => !d.is_deleted)
        .map((d) => {
          const closed = d.status === 'won' ? d.won_time : d.status === 'lost' ? d.lost_time : null;
          return { id: String(d.id), status: d.status, closedAt: closed ? new Date(closed) : null, cents: BigInt(Math.round((d.value ?? 0) * 100)), createdAt: new Date(d.add_time), visited: [...(visits.get(String(d.id)) ?? [])], wasWon: wonOnce.has(String(d.id)) };
        }),
    now: () => new Date(pd.clockMs),
    advance: (seconds) => void pd.tick(seconds),
    stop: () => pd.stop(),
  };
}

export async function salesforceHarness(): Promise<THarness & { fake: FakeSalesforce }> {
  const sf = await new FakeSalesforce().start();
  sf.pageSize = 50;
  sf.users.push({ Id: '005E2E000000000001', Email: 'ana@example.com', Name: 'Ana Garcia', IsActive: true }, { Id: '005E2E000000000002', Email: 'ben@example.com', Name: 'Ben Okafor', IsActive: true });
  const tokens = sf.issueTokens();
  let clock = Date.UTC(2025, 6, 1);
  let seq = 0;
  const tick = (): Date => new Date((clock += 1000));
  const openStages = ['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Negotiation/Review'];
  const visits = new Map<string, string[]>();
  const wonOnce = new Set<string>();
  /** Moves an opportunity through open stages (one edit each), as a rep would in Salesforce. */
  const move = (id: string, path: readonly number[]): void => {
    for (const i of path) {
      sf.updateOpportunity(id, tick(), { StageName: openStages[i]!, IsClosed: false, IsWon: false });
      visits.get(id)?.push(openStages[i]!);
    }
  };
  const fields = (spec: Partial<TSpec>) => ({
    ...(spec.name !== undefined ? { Name: spec.name, AccountName: spec.name } : {}),
    ...(spec.cents !== undefined ? { Amount: spec.cents / 100 } : {}),
    ...(spec.status !== undefined
      ? { StageName: spec.status === 'won' ? 'Closed Won' : spec.status === 'lost' ? 'Closed Lost' : 'Qualification', IsClosed: spec.status !== 'open', IsWon: spec.status === 'won' }
      : {}),
    ...(spec.closedAt ? { CloseDate: spec.closedAt.toISOString().slice(0, 10) } : {}),
    ...(spec.owner !== undefined ? { OwnerId: spec.owner === 0 ? '005E2E000000000001' : '005E2E000000000002' } : {}),
  });
  return {
    vendor: 'salesforce',
    openStages,
    fake: sf,
    url: sf.url,
    credentials: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, instanceUrl: sf.url, loginUrl: sf.url },
    extra: { salesforceApp: { clientId: sf.clientId, clientSecret: sf.clientSecret } },
    add: (spec) => {
      const at = tick();
      const id = `006E2E${String(++seq).padStart(12, '0')}`;
      sf.addOpportunity({
        Id: id,
        Name: spec.name,
        AccountName: spec.name,
        Amount: spec.cents / 100,
        StageName: 'Qualification',
        IsClosed: false,
        IsWon: false,
        CloseDate: '2025-12-31',
        CreatedDate: spec.createdAt ?? new Date('2024-12-01T00:00:00Z'),
        Type: null,
        OwnerId: '005E2E000000000001',
        SystemModstamp: at,
        ...fields(spec),
        // With a path: created open in its first stage, moved on, then closed (when it is).
        ...(spec.path?.[0] !== undefined ? { StageName: openStages[spec.path[0]]!, IsClosed: false, IsWon: false } : {}),
      });
      const first = spec.path?.[0] !== undefined ? openStages[spec.path[0]]! : spec.status === 'open' ? 'Qualification' : null;
      visits.set(id, first ? [first] : []);
      if (spec.path?.[0] !== undefined) {
        move(id, spec.path.slice(1));
        if (spec.status !== 'open') sf.updateOpportunity(id, tick(), fields({ status: spec.status }));
      }
      if (spec.status === 'won') wonOnce.add(id);
      return id;
    },
    edit: (id, spec) => {
      if (spec.path) move(id, spec.path);
      sf.updateOpportunity(id, tick(), fields(spec));
      if (spec.status === 'won') wonOnce.add(id);
    },
    remove: (id) => sf.deleteOpportunity(id, tick()),
    throttle: () => void sf.failNext.push({ status: 429, headers: { 'retry-after': '1' }, body: [{ message: 'Too many requests', errorCode: 'TOO_MANY_REQUESTS' }] }),
    truth: () =>
      [...sf.opportunities.values()]
        .filter((o) => !o.IsDeleted)
        .map((o) => ({
          id: o.Id,
          status: o.IsWon ? 'won' : o.IsClosed ? 'lost' : 'open',
          closedAt: o.IsClosed ? new Date(`${o.CloseDate}T12:00:00Z`) : null,
          cents: BigInt(Math.round((o.Amount ?? 0) * 100)),
          createdAt: o.CreatedDate,
          visited: [...(visits.get(o.Id) ?? [])],
          wasWon: wonOnce.has(o.Id),
        })),
    now: () => new Date(clock),
    advance: (seconds) => void (clock += seconds * 1000),
    stop: () => sf.stop(),
  };
}

export const HARNESSES: Record<TCrmVendor, () => Promise<THarness>> = { hubspot: hubspotHarness, pipedrive: pipedriveHarness, salesforce: salesforceHarness };
