import { afterEach, describe, expect, it } from 'vitest';
import { CrmSourceError, type TCrmVendor } from '../../src/domain/crm/crm-source.js';
import type { TCrmCredentials } from '../../src/domain/crm/credentials.js';
import { createCrmSource, CrmConnectorUnavailableError, isCrmConnectorAvailable } from '../../src/crm/registry.js';
import { FakeHubSpot } from '../helpers/fake-hubspot.js';
import { FakePipedrive } from '../helpers/fake-pipedrive.js';
import { FakeSalesforce } from '../helpers/fake-salesforce.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (stops.length > 0) await stops.pop()?.();
});

async function failure(p: Promise<unknown>): Promise<CrmSourceError> {
  const e: unknown = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof CrmSourceError)) throw new Error(`expected a CrmSourceError, got ${String(e)}`);
  return e;
}

describe('CRM registry', () => {
  it('builds the HubSpot connector from { accessToken }, pointed at the base URL', async () => {
    const hs = await new FakeHubSpot().start();
    stops.push(() => hs.stop());
    hs.addOwner({ id: '7', email: 'ana@example.com', firstName: 'Ana', lastName: 'Garcia' });
    const source = createCrmSource('hubspot', { accessToken: hs.token }, { baseUrl: hs.url, timeoutMs: 2000 });
    expect(source.vendor).toBe('hubspot');
    expect((await source.listStages()).map((s) => s.id)).toContain('closedwon');
    expect(await source.listOwners()).toEqual([{ id: '7', email: 'ana@example.com', name: 'Ana Garcia', active: true }]);
    expect(hs.requests.every((r) => r.authorization === `Bearer ${hs.token}`)).toBe(true);
  });

  it('builds the Pipedrive connector from { apiToken }', async () => {
    const pd = await new FakePipedrive('pd-token-123').start();
    stops.push(() => pd.stop());
    const pipeline = pd.addPipeline({ name: 'Sales' });
    pd.addStage({ name: 'Qualified', pipeline_id: pipeline.id, order_nr: 1 });
    const source = createCrmSource('pipedrive', { apiToken: 'pd-token-123' }, { baseUrl: pd.url, timeoutMs: 2000 });
    expect(source.vendor).toBe('pipedrive');
    expect((await source.listStages()).map((s) => s.label)).toContain('Qualified');
    expect(pd.requests.length).toBeGreaterThan(0);
    expect(pd.requests.every((r) => r.tokenHeader === 'pd-token-123')).toBe(true);
  });

  it('builds the Salesforce connector; a refreshed token reaches onCredentialsChanged as whole credentials', async () => {
    const sf = await new FakeSalesforce().start();
    stops.push(() => sf.stop());
    sf.users.push({ Id: '005FAKE00000000000', Email: 'ana@example.com', Name: 'Ana', IsActive: true });
    const tokens = sf.issueTokens();
    const stored: TCrmCredentials = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, instanceUrl: sf.url, loginUrl: sf.url };
    const changes: TCrmCredentials[] = [];
    const source = createCrmSource('salesforce', stored, {
      timeoutMs: 2000,
      salesforceApp: { clientId: sf.clientId, clientSecret: sf.clientSecret },
      onCredentialsChanged: async (next) => {
        changes.push(next);
      },
    });
    expect(source.vendor).toBe('salesforce');
    expect(await source.listOwners()).toHaveLength(1);
    expect(changes).toEqual([]);

    sf.expireAccessToken(tokens.accessToken);
    expect(await source.listOwners()).toHaveLength(1);
    expect(changes).toHaveLength(1);
    const next = changes[0]!;
    expect(next['accessToken']).toMatch(/^00DFAKE!/);
    expect(next['accessToken']).not.toBe(tokens.accessToken);
    expect(next).toMatchObject({ refreshToken: tokens.refreshToken, instanceUrl: sf.url, loginUrl: sf.url });
    const grant = sf.requestsTo('token').at(-1);
    expect(grant?.form).toMatchObject({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken, client_id: sf.clientId, client_secret: sf.clientSecret });
  });

  it('refuses a vendor that is not wired in', () => {
    expect(isCrmConnectorAvailable('hubspot')).toBe(true);
    expect(isCrmConnectorAvailable('pipedrive')).toBe(true);
    expect(isCrmConnectorAvailable('salesforce')).toBe(true);
    expect(isCrmConnectorAvailable('zoho' as TCrmVendor)).toBe(false);
    expect(() => createCrmSource('zoho' as TCrmVendor, { token: 'x' }, { timeoutMs: 1000 })).toThrow(CrmConnectorUnavailableError);
    expect(() => createCrmSource('toString' as TCrmVendor, { token: 'x' }, { timeoutMs: 1000 })).toThrow(CrmConnectorUnavailableError);
  });

  it('incomplete credentials give a connector that fails with auth, naming the field, never a value', async () => {
    const hubspot = createCrmSource('hubspot', { token: 'pat-secret-value' }, { timeoutMs: 1000 });
    const e = await failure(hubspot.pullChanges({ cursor: null, now: new Date(0) }));
    expect(e.kind).toBe('auth');
    expect(e.message).toContain('accessToken');
    expect(e.message).not.toContain('pat-secret-value');
    expect((await failure(createCrmSource('pipedrive', {}, { timeoutMs: 1000 }).listStages())).message).toContain('apiToken');
    // Salesforce without a connected app anywhere cannot refresh: refused the same way.
    const sf = createCrmSource('salesforce', { accessToken: 'a', instanceUrl: 'https://example.my.salesforce.com' }, { timeoutMs: 1000 });
    expect((await failure(sf.listOwners())).message).toContain('SALESFORCE_CLIENT_ID');
  });
});
