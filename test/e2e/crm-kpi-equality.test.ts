import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { signHubSpotV3 } from '../../src/crm/hubspot/hubspot-webhook.js';
import { createCrmSource } from '../../src/crm/registry.js';
import type { TCrmCredentials } from '../../src/domain/crm/credentials.js';
import type { TCrmSource, TCrmVendor } from '../../src/domain/crm/crm-source.js';
import { createLogger } from '../../src/logger.js';
import { runCrmSyncs, type TCrmSyncTickSummary } from '../../src/scheduler/crm-sync-job.js';
import type { TCrmSourceOptions } from '../../src/crm/registry.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { HARNESSES, type THarness, type TSpec, type TStatus, type TTruth } from '../helpers/crm-harness.js';
import type { FakeHubSpot } from '../helpers/fake-hubspot.js';
import type { FakeSalesforce } from '../helpers/fake-salesforce.js';
import { centsIn, funnelTruth, kpiTruth } from '../helpers/crm-kpi-truth.js';
import { viewSubmissionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * Issue #10, "Done when": `/kpi` equals the CRM. For each vendor, on each engine: the real app
 * (signed Slack requests), the vendor's official client against its loopback fake (pages, a 429
 * with Retry-After, deletions), the scheduler's tick (`runCrmSyncs`) doing the syncs; after the
 * backfill, after an incremental sync of CRM edits, and after webhooks (a valid one syncs the
 * change, an invalid or stale one is refused and changes nothing), `/kpi winrate|dealsize|revenue|
 * funnel <month>` answer with the numbers of an independent count over the fake's records
 * (test/helpers/crm-kpi-truth.ts, SPEC formulas; no app metric code): the funnel stage by stage
 * (each stage's entered and advanced counts), so each vendor's stage history must arrive whole
 * (HubSpot's `dealstage` history, Salesforce's OpportunityHistory, Pipedrive's deal flow).
 */

const ADMIN = 'U0ADMIN';
const HUBSPOT_SECRET = 'hubspot-client-secret-for-kpi-equality';
const PUBLIC_URL = 'https://kpi.example.test';
const PORTAL = '62515';
const MONTHS = ['2025-02', '2025-03', '2025-04', '2025-05'] as const;
const FAR = new Date('2030-01-01T00:00:00Z');
/** The workspace's default funnel (no `/kpi settings stages` here) and its labels in the answer. */
const FUNNEL = ['lead', 'contacted', 'demo', 'proposal'] as const;
const FUNNEL_LABELS = ['Lead', 'Contacted (call)', 'Demo/Trial', 'Proposal', 'Won'];
/**
 * Where each vendor's open stages land on that funnel by default (stage order, or a stage's name):
 * the test's own statement, checked against what the app stored before any count is compared.
 */
const POSITIONS: Record<TCrmVendor, readonly number[]> = {
  // Appointment scheduled, Qualified to buy, Contract sent: spread by order over four stages.
  hubspot: [0, 1, 2],
  // Lead, Contacted, Demo, Proposal: by name.
  pipedrive: [0, 1, 2, 3],
  // Prospecting (by name), Qualification (by order), Proposal/Price Quote and Negotiation/Review (by name).
  salesforce: [0, 1, 3, 3],
};
/** Stage walks (indexes into the vendor's open stages): straight, skipping, moved back. */
const PATHS: ReadonlyArray<readonly number[]> = [[0], [0, 1], [0, 1, 2], [1], [0, 2, 1], [2], [0, 1, 2, 3]];

/**
 * Deal i: a third won, a third lost, a third open; created and closed over January–June 2025; each
 * walked through the stages of one of PATHS first (the vendor's stages it has).
 */
function seedSpec(i: number, openStages: number): TSpec {
  const status: TStatus = (['won', 'lost', 'open'] as const)[i % 3]!;
  const month = (i % 6) + 1;
  const day = 2 + (i % 20);
  const createdAt = new Date(Date.UTC(2025, month - 1, day, 9));
  const path = PATHS[i % PATHS.length]!.filter((s) => s < openStages);
  return { status, cents: 10_000 + i * 137, createdAt, closedAt: status === 'open' ? null : new Date(createdAt.getTime() + 3 * 86_400_000), name: `Customer ${i}`, owner: (i % 2) as 0 | 1, path };
}

describe.each(testEngines())('/kpi equals the CRM, through signed requests, on %s', (dialect) => {
  let h: Harness | undefined;
  let crm: THarness | undefined;
  afterEach(async () => {
    await h?.stop();
    await crm?.stop();
    h = undefined;
    crm = undefined;
  });

  test.each(['hubspot', 'pipedrive', 'salesforce'] as const)(
    '%s: backfill, incremental changes and webhooks; winrate, dealsize, revenue and funnel equal an independent count',
    async (vendor: TCrmVendor) => {
      const c = (crm = await HARNESSES[vendor]());
      const sleeps: number[] = [];
      let pulls = 0;
      /** The registry's real connector (official client) on the fake, 50 per page; the 2nd page of a run answers 429 first. */
      const createSource = (v: TCrmVendor, credentials: TCrmCredentials, options: TCrmSourceOptions): TCrmSource => {
        const real = createCrmSource(v, credentials, { ...options, ...c.extra, pageSize: 50, sleep: async (ms) => void sleeps.push(ms) });
        return {
          vendor: real.vendor,
          listStages: (s) => real.listStages(s),
          listOwners: (s) => real.listOwners(s),
          usage: () => real.usage(),
          pullChanges: (o) => {
            if (++pulls === 2) c.throttle();
            return real.pullChanges(o);
          },
        };
      };
      const sf = vendor === 'salesforce' ? ((c as THarness & { fake: FakeSalesforce }).fake) : null;
      const app = (h = await startHarness(
        dialect,
        {
          CRM_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
          HUBSPOT_CLIENT_SECRET: HUBSPOT_SECRET,
          PUBLIC_URL,
          ...(sf ? { SALESFORCE_CLIENT_ID: sf.clientId, SALESFORCE_CLIENT_SECRET: sf.clientSecret } : {}),
        },
        { createCrmSource: createSource },
      ));
      if (sf) app.kpi.deps.crm!.salesforce = { clientId: sf.clientId, clientSecret: sf.clientSecret, loginUrl: sf.url };
      // The app's clock follows the CRM's: a sync runs just after the CRM's last change.
      const appNow = (): Date => new Date(c.now().getTime() + 5_000);
      app.setNow(appNow());
      app.fake.addUser({ id: ADMIN, name: 'alice', real_name: 'Alice Admin', tz: 'UTC' });
      let seq = 0;
      const run = async (text: string): Promise<{ text: string; blocks?: unknown }> => {
        const id = `eq${++seq}`;
        const res = await app.slack.command('/kpi', text, { user_id: ADMIN, response_url: app.fake.responseUrl(id) });
        expect(res.status).toBe(200);
        return (await app.fake.waitFor(() => app.fake.responsesTo(id)[0])) as { text: string; blocks?: unknown };
      };
      await run('settings timezone UTC'); // the first user: the installer, an admin

      const ids: string[] = [];
      for (let i = 0; i < 180; i++) ids.push(c.add(seedSpec(i, c.openStages.length)));
      const positionOf = new Map(c.openStages.map((id, i) => [id, POSITIONS[vendor][i]!]));

      const db = app.database.db;
      const tick = (): Promise<TCrmSyncTickSummary> =>
        runCrmSyncs({ db, now: appNow(), keyRing: app.kpi.deps.crm!.keyRing!, createSource: (conn, o) => createSource(conn.vendor, conn.credentials, o), logger: createLogger('error', () => undefined) });
      // Connecting and a webhook start the tick at once (main.ts wires `onSyncDue` to the CRM sync job).
      const kicked: Array<Promise<TCrmSyncTickSummary>> = [];
      app.kpi.deps.crm!.onSyncDue = () => void kicked.push(tick());

      // Connected from Slack: the token modal (HubSpot, Pipedrive) or the OAuth link (Salesforce).
      let pipedriveLogin = '';
      if (vendor === 'salesforce') {
        const answer = await run('crm connect salesforce');
        const url = new URL(JSON.stringify((answer as { blocks?: unknown }).blocks).match(/"url":"([^"]+)"/)![1]!);
        const code = sf!.authorize({ codeChallenge: url.searchParams.get('code_challenge'), redirectUri: `${PUBLIC_URL}/crm/salesforce/callback` });
        const res = await fetch(`${app.url}/crm/salesforce/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(url.searchParams.get('state')!)}`);
        expect(res.status).toBe(200);
      } else {
        const before = app.fake.callsTo('views.open').length;
        await app.slack.command('/kpi', `crm connect ${vendor}`, { user_id: ADMIN, response_url: app.fake.responseUrl('connect') });
        const view = (await app.fake.waitFor(() => app.fake.callsTo('views.open')[before])).args.view as { callback_id: string; private_metadata: string };
        const token = vendor === 'hubspot' ? c.credentials.accessToken! : c.credentials.apiToken!;
        const values = {
          crm_token: { value: { type: 'plain_text_input', value: token } },
          crm_base_url: { value: { type: 'plain_text_input', value: c.url } },
          ...(vendor === 'hubspot' ? { crm_portal: { value: { type: 'plain_text_input', value: PORTAL } } } : {}),
        };
        const res = await app.slack.interaction(viewSubmissionPayload({ userId: ADMIN, viewId: 'VCONNECT', callbackId: view.callback_id, privateMetadata: view.private_metadata, values }));
        expect(res.status).toBe(200);
        expect(res.body).toBe('');
        const confirmation = await app.fake.waitFor(() => app.fake.callsTo('chat.postEphemeral').find((x) => String(x.args.text).includes('is connected')));
        if (vendor === 'pipedrive') {
          const text = String(confirmation.args.text);
          pipedriveLogin = `${text.match(/HTTP Auth user `([^`]+)`/)![1]!}:${text.match(/password `([^`]+)`/)![1]!}`;
        }
      }

      /** Every KPI of every month, as the app answers it, against the independent count. */
      async function expectKpisEqual(records: readonly TTruth[], label: string): Promise<void> {
        for (const month of MONTHS) {
          const t = kpiTruth(records, month);
          const at = `${label}, ${month}`;
          const winrate = (await run(`winrate ${month}`)).text;
          if (t.winRate === null) expect(winrate, at).toContain('no closed deals');
          else {
            const m = winrate.match(/: ([\d.]+)% — ([\d,]+) won \/ ([\d,]+) closed/);
            expect(m, `${at}: ${winrate}`).not.toBeNull();
            expect([Number(m![2]!.replace(/,/g, '')), Number(m![3]!.replace(/,/g, ''))], at).toEqual([t.won, t.won + t.lost]);
            expect(Math.abs(Number(m![1]) - t.winRate * 100), at).toBeLessThanOrEqual(0.05);
          }
          const dealsize = (await run(`dealsize ${month}`)).text;
          if (t.averageMinor === null) expect(dealsize, at).toContain('no won deals');
          else {
            const from = dealsize.indexOf('): ');
            expect(centsIn(dealsize, from), `${at}: ${dealsize}`).toEqual([t.averageMinor, t.wonMinor]);
            expect(dealsize, at).toContain(`— ${t.won} won deal${t.won === 1 ? '' : 's'},`);
          }
          const revenue = (await run(`revenue ${month}`)).text;
          if (t.wonMinor === 0n) expect(revenue, at).toContain('no revenue');
          else expect(centsIn(revenue, revenue.indexOf('): ')), `${at}: ${revenue}`).toEqual([t.netMinor, t.wonMinor]);
          const funnelAnswer = await run(`funnel ${month}`);
          const funnel = funnelAnswer.text;
          if (t.entered === 0) expect(funnel, at).toContain('no deals entered the funnel');
          else {
            const m = funnel.match(/([\d,]+) entered, ([\d,]+) won \(([\d.]+)%\)/);
            expect(m, `${at}: ${funnel}`).not.toBeNull();
            expect([Number(m![1]!.replace(/,/g, '')), Number(m![2]!.replace(/,/g, ''))], at).toEqual([t.entered, t.enteredWon]);
            expect(Math.abs(Number(m![3]) - (t.enteredWon / t.entered) * 100), at).toBeLessThanOrEqual(0.05);
            // Stage by stage: `*Lead*: 60`, `→ *Contacted (call)*: 31 — 51.7% of Lead`, …, `→ *Won*: 20 …`.
            const stageText = JSON.stringify(funnelAnswer.blocks ?? []);
            const shown = FUNNEL_LABELS.map((label) => {
              const hit = new RegExp(`\\*${label.replace(/[()/]/g, (ch) => `\\${ch}`)}\\*: ([\\d,]+)`).exec(stageText);
              return hit ? Number(hit[1]!.replace(/,/g, '')) : null;
            });
            const expected = funnelTruth(records, month, positionOf, FUNNEL.length);
            expect(shown, `${at}, stage by stage (entered per stage; advanced = the next stage's entered): ${stageText}`).toEqual(expected);
            expect(expected[0], at).toBe(t.entered);
            expect(expected[FUNNEL.length], at).toBe(t.enteredWon);
          }
        }
      }
      const storedIds = async (): Promise<string[]> =>
        (await db.prisma.deal.findMany({ where: { workspaceId: ws.id }, select: { externalId: true } })).map((d) => (d.externalId ?? '').slice(vendor.length + 1)).sort();
      const crmIds = (): string[] => c.truth().map((r) => r.id).sort();

      const ws = await db.prisma.workspace.findFirstOrThrow({ where: { slackTeamId: 'T0FAKE' } });
      const connection = () => db.prisma.crmConnection.findUniqueOrThrow({ where: { workspaceId: ws.id } });

      // (a) Backfill, started by connecting: several pages, a 429 waited out (Retry-After: 1).
      await app.fake.waitFor(() => kicked[0]);
      expect(kicked).toHaveLength(1);
      const backfill = await kicked.pop()!;
      // The test's table of where the vendor's stages land is the app's default mapping.
      const maps = await db.prisma.crmStageMap.findMany({ where: { connection: { workspaceId: ws.id } }, select: { crmStageId: true, target: true } });
      const targetOf = new Map(maps.map((m) => [m.crmStageId, m.target]));
      expect(c.openStages.map((id) => targetOf.get(id)), 'default stage mapping').toEqual(POSITIONS[vendor].map((p) => FUNNEL[p]));
      expect(backfill).toMatchObject({ due: 1, synced: 1, failed: 0, deals: 180 });
      expect(sleeps).toContain(1000);
      expect(pulls).toBeGreaterThanOrEqual(4);
      expect(await storedIds()).toEqual(crmIds());
      await expectKpisEqual(c.truth(), 'after the backfill');

      // (b) Changes in the CRM, synced by the next tick: an open deal won (a stage move into the won
      // stage), a won deal lost, an amount edited, new deals, a deletion, and a merge where the vendor has them.
      const march = new Date('2025-03-12T10:00:00Z');
      c.edit(ids[2]!, { status: 'won', closedAt: march, cents: 77_777 });
      c.edit(ids[0]!, { status: 'lost' });
      c.edit(ids[9]!, { cents: 123_456 });
      c.add({ status: 'won', cents: 55_500, createdAt: new Date('2025-03-02T10:00:00Z'), closedAt: march, name: 'Newco', owner: 1 });
      c.add({ status: 'open', cents: 9_900, createdAt: new Date('2025-05-03T10:00:00Z'), closedAt: null, name: 'Openco', owner: 0 });
      c.remove(ids[6]!);
      // Stage moves: an open deal moved forward, a lost one moved (in HubSpot and Salesforce that reopens it).
      c.edit(ids[5]!, { path: [2] });
      c.edit(ids[7]!, { path: [1, 2] });
      if (vendor === 'hubspot') (c as THarness & { merge(a: string, b: string): string }).merge(ids[12]!, ids[15]!);
      app.setNow(appNow());
      const incremental = await tick();
      expect(incremental).toMatchObject({ synced: 1, failed: 0, removed: vendor === 'hubspot' ? 3 : 1 });
      expect(await storedIds()).toEqual(crmIds());
      await expectKpisEqual(c.truth(), 'after the incremental sync');

      // (c) Webhooks (HubSpot's signature, Pipedrive's basic auth; Salesforce has no webhook here:
      // its changes come with the scheduled tick, as in (b)).
      if (vendor === 'salesforce') return;
      const before = c.truth();
      c.edit(ids[4]!, { status: 'won', closedAt: new Date('2025-05-20T10:00:00Z'), cents: 250_000 });
      c.edit(ids[3]!, { status: 'lost', closedAt: new Date('2025-04-25T10:00:00Z') });
      app.setNow(appNow());
      // The connection is not due by itself: only a webhook brings the change in before 2030.
      await db.prisma.crmConnection.update({ where: { workspaceId: ws.id }, data: { nextAttemptAt: FAR } });
      const fakeHs = vendor === 'hubspot' ? (c as THarness & { fake: FakeHubSpot }).fake : null;
      const body = JSON.stringify([{ eventId: 1, subscriptionId: 9, portalId: Number(PORTAL), appId: 5, occurredAt: appNow().getTime() - 1000, subscriptionType: 'deal.propertyChange', attemptNumber: 0, objectId: Number(ids[4]), propertyName: 'dealstage', propertyValue: 'closedwon' }]);
      const hook = (opts: { secret?: string; timestamp?: number; auth?: string } = {}): Promise<Response> => {
        if (vendor === 'hubspot') {
          const timestamp = String(opts.timestamp ?? appNow().getTime());
          const signature = signHubSpotV3({ clientSecret: opts.secret ?? HUBSPOT_SECRET, method: 'POST', uri: `${PUBLIC_URL}/crm/hubspot/webhook`, body, timestamp });
          return fetch(`${app.url}/crm/hubspot/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hubspot-request-timestamp': timestamp, 'x-hubspot-signature-v3': signature }, body });
        }
        const pdBody = JSON.stringify({ meta: { entity: 'deal', action: 'change', version: '2.0' }, data: { id: Number(ids[4]) } });
        return fetch(`${app.url}/crm/pipedrive/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(opts.auth ?? pipedriveLogin).toString('base64')}` }, body: pdBody });
      };
      const refused = vendor === 'hubspot' ? [hook({ secret: 'not-the-secret' }), hook({ timestamp: appNow().getTime() - 6 * 60_000 })] : [hook({ auth: `${pipedriveLogin.split(':')[0]!}:wrong-password` }), hook({ auth: 'kpi-someone-else:nope' })];
      for (const res of await Promise.all(refused)) expect(res.status).toBe(401);
      expect(kicked).toHaveLength(0);
      expect((await connection()).nextAttemptAt?.toISOString()).toBe(FAR.toISOString());
      expect(await tick()).toMatchObject({ due: 0, deals: 0 });
      await expectKpisEqual(before, 'after refused webhooks (nothing changed)');

      expect((await hook()).status).toBe(200);
      expect(kicked).toHaveLength(1);
      expect(await kicked[0]!).toMatchObject({ due: 1, synced: 1, failed: 0 });
      expect(fakeHs === null || fakeHs.deals.get(ids[4]!)?.properties.dealstage === 'closedwon').toBe(true);
      expect(await storedIds()).toEqual(crmIds());
      await expectKpisEqual(c.truth(), 'after a valid webhook');
    },
    120_000,
  );
});
