import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { createCrmSource } from '../../src/crm/registry.js';
import { createLogger } from '../../src/logger.js';
import { runCrmSyncs, type TCrmSyncTickSummary } from '../../src/scheduler/crm-sync-job.js';
import { customerKey } from '../../src/shared/customer-key.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { pipedriveHarness } from '../helpers/crm-harness.js';
import type { FakePipedrive } from '../helpers/fake-pipedrive.js';
import { viewSubmissionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * Issue #10: `/deal` refuses to change a deal Pipedrive owns and links to it. Pipedrive's API host
 * (`api.pipedrive.com`) is not the company's address, so the app asks `GET /v1/users/me` for the
 * `company_domain` in the sync that connecting starts, stores it with the connection (not secret)
 * and links to `https://<company_domain>.pipedrive.com/deal/<id>`. Through signed requests to the
 * real app, the registry's real connector (official client) against the loopback fake.
 */

const ADMIN = 'U0ADMIN';
const REP = 'U0REP';
const PUBLIC_URL = 'https://kpi.example.test';

describe.each(testEngines())('Pipedrive deal links on %s', (dialect) => {
  let app: Harness | undefined;
  let stopCrm: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await app?.stop();
    await stopCrm?.();
    app = undefined;
    stopCrm = undefined;
  });

  test('the company domain is captured when connecting, stored with the connection, and /deal links to the deal in Pipedrive; connecting again asks again', async () => {
    const crm = await pipedriveHarness();
    stopCrm = () => crm.stop();
    const fake: FakePipedrive = crm.fake;
    fake.companyDomain = 'acme-eu';
    const h = (app = await startHarness(dialect, { CRM_ENCRYPTION_KEY: randomBytes(32).toString('base64'), PUBLIC_URL }, { createCrmSource }));
    const now = new Date(crm.now().getTime() + 5_000);
    h.setNow(now);
    h.fake.addUser({ id: ADMIN, name: 'alice', real_name: 'Alice Admin', tz: 'UTC' });
    h.fake.addUser({ id: REP, name: 'bob', real_name: 'Bob Rep', tz: 'UTC' });
    let seq = 0;
    const run = async (command: string, text: string, user: string): Promise<{ text: string }> => {
      const id = `pl${++seq}`;
      expect((await h.slack.command(command, text, { user_id: user, response_url: h.fake.responseUrl(id) })).status).toBe(200);
      return (await h.fake.waitFor(() => h.fake.responsesTo(id)[0])) as { text: string };
    };
    await run('/kpi', 'settings timezone UTC', ADMIN); // the first user: the installer, an admin
    await run('/kpi', 'role <@U0REP|bob> rep', ADMIN);

    const db = h.database.db;
    const tick = (): Promise<TCrmSyncTickSummary> =>
      runCrmSyncs({ db, now, keyRing: h.kpi.deps.crm!.keyRing!, createSource: (c, o) => createCrmSource(c.vendor, c.credentials, o), logger: createLogger('error', () => undefined) });
    const kicked: Array<Promise<TCrmSyncTickSummary>> = [];
    h.kpi.deps.crm!.onSyncDue = () => void kicked.push(tick());
    const connect = async (): Promise<void> => {
      const before = h.fake.callsTo('views.open').length;
      await h.slack.command('/kpi', 'crm connect pipedrive', { user_id: ADMIN, response_url: h.fake.responseUrl(`connect${++seq}`) });
      const view = (await h.fake.waitFor(() => h.fake.callsTo('views.open')[before])).args.view as { callback_id: string; private_metadata: string };
      const values = { crm_token: { value: { type: 'plain_text_input', value: crm.credentials.apiToken! } }, crm_base_url: { value: { type: 'plain_text_input', value: crm.url } } };
      const res = await h.slack.interaction(viewSubmissionPayload({ userId: ADMIN, viewId: 'VCONNECT', callbackId: view.callback_id, privateMetadata: view.private_metadata, values }));
      expect(res.status).toBe(200);
      expect(res.body).toBe('');
    };
    const ws = await db.prisma.workspace.findFirstOrThrow({ where: { slackTeamId: 'T0FAKE' } });
    const connection = () => db.prisma.crmConnection.findUniqueOrThrow({ where: { workspaceId: ws.id } });

    crm.add({ status: 'open', cents: 500_000, closedAt: null, name: 'Synced Co', owner: 0 });
    await connect();
    await h.fake.waitFor(() => kicked[0]);
    expect(await kicked.pop()!).toMatchObject({ synced: 1, failed: 0, deals: 1 });
    expect((await connection()).appUrl).toBe('https://acme-eu.pipedrive.com');
    expect(fake.requestsTo('GET', '/v1/users/me')).toHaveLength(1);
    expect(await tick()).toMatchObject({ synced: 1, failed: 0 });
    expect(fake.requestsTo('GET', '/v1/users/me')).toHaveLength(1); // asked once per connection

    // A deal Pipedrive owns, Bob's: /deal refuses privately and links to it in Pipedrive.
    const bob = await db.prisma.rep.findFirstOrThrow({ where: { workspaceId: ws.id, slackUserId: REP } });
    await db.prisma.deal.create({
      data: { workspaceId: ws.id, ownerId: bob.id, customer: 'Initech', customerKey: customerKey('Initech'), amountMinor: 1_000_000n, currency: 'USD', amountReportingMinor: 1_000_000n, stage: 'lead', status: 'open', source: 'pipedrive', externalId: 'pipedrive:77', createdAt: now, updatedAt: now },
    });
    for (const text of ['won 12k Initech', 'lost Initech price', 'stage Initech demo']) {
      const answer = await run('/deal', text, REP);
      expect(answer.text).toContain('The Initech deal was not changed: Pipedrive owns it');
      expect(answer.text).toContain('<https://acme-eu.pipedrive.com/deal/77|Open it in Pipedrive>');
    }
    expect((await db.prisma.deal.findFirstOrThrow({ where: { externalId: 'pipedrive:77' } })).status).toBe('open');

    // Connecting again (another token may be another company) forgets the address until its sync asks.
    fake.companyDomain = 'globex';
    await connect();
    await h.fake.waitFor(() => kicked[0]);
    expect((await connection()).appUrl === null || (await connection()).appUrl === 'https://globex.pipedrive.com').toBe(true);
    expect(await kicked.pop()!).toMatchObject({ synced: 1, failed: 0 });
    expect((await connection()).appUrl).toBe('https://globex.pipedrive.com');
    expect((await run('/deal', 'won 12k Initech', REP)).text).toContain('<https://globex.pipedrive.com/deal/77|Open it in Pipedrive>');

    // A domain that is not a plain DNS label is never made into a link.
    fake.companyDomain = 'evil.example/phish?';
    await connect();
    await h.fake.waitFor(() => kicked[0]);
    await kicked.pop();
    expect((await connection()).appUrl).toBe(''); // asked: none given, not asked again
    const plain = await run('/deal', 'won 12k Initech', REP);
    expect(plain.text).toContain('Pipedrive owns it');
    expect(plain.text).not.toContain('evil');
    expect(plain.text).not.toContain('<http');
  }, 60_000);
});
