import { describe, expect, test } from 'vitest';
import { crmDealUrl, minorToDecimalText } from '../../src/domain/crm/crm-owned-deals.js';
import { assertCanManageCrm } from '../../src/domain/crm/crm-slack-settings.js';
import { buildCrmCallbackPage, buildCrmConnected, buildCrmHomeSection, buildCrmOwnerList, buildCrmStagesModal, formatLag } from '../../src/slack/blocks/crm-admin.js';
import { findViewViolations } from '../../src/slack/blocks/limits.js';
import { basicCredentials } from '../../src/slack/crm-routes.js';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('CRM admin pieces (pure)', () => {
  test('minor units become the decimal text a CRM stores, with the currency’s own digits', () => {
    expect(minorToDecimalText(1250050n, 'USD')).toBe('12500.50');
    expect(minorToDecimalText(5n, 'USD')).toBe('0.05');
    expect(minorToDecimalText(5000000n, 'VND')).toBe('5000000');
    expect(minorToDecimalText(1234n, 'KWD')).toBe('1.234');
    expect(minorToDecimalText(-150n, 'EUR')).toBe('-1.50');
  });

  test('deal links only when what they need is known and https', () => {
    expect(crmDealUrl('hubspot', '77', { portalId: '62515' })).toBe('https://app.hubspot.com/contacts/62515/record/0-3/77');
    expect(crmDealUrl('hubspot', '77', {})).toBeNull();
    expect(crmDealUrl('pipedrive', '5', { appUrl: 'https://acme.pipedrive.com/' })).toBe('https://acme.pipedrive.com/deal/5');
    expect(crmDealUrl('pipedrive', '5', { appUrl: 'javascript:alert(1)' })).toBeNull();
    expect(crmDealUrl('salesforce', '006xx', { instanceUrl: 'https://acme.my.salesforce.com' })).toBe('https://acme.my.salesforce.com/lightning/r/Opportunity/006xx/view');
  });

  test('only admins manage the CRM', () => {
    expect(() => assertCanManageCrm({ role: 'manager' })).toThrow('Only admins');
    expect(() => assertCanManageCrm({ role: 'admin' })).not.toThrow();
  });

  test('the callback page escapes everything and loads nothing', () => {
    // The CRM's own error code (a query parameter anyone can write) is the only outside text.
    for (const locale of ['en', 'vi', 'zh-CN'] as const) {
      const page = buildCrmCallbackPage({ kind: 'denied', error: '<img src=x onerror=alert(1)> "q" & <b>' }, locale);
      expect(page).not.toContain('<img');
      expect(page).toContain('&lt;img src=x onerror=alert(1)&gt; "q" &amp; &lt;b&gt;');
      expect(page).toContain(`<html lang="${locale}">`);
      expect(page).not.toMatch(/<script|<link|<img|https?:/);
    }
  });

  test('basic credentials: only a canonical Basic header with a user and a colon', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    expect(basicCredentials(`Basic ${b64('kpi-abc:p:w')}`)).toEqual({ user: 'kpi-abc', password: 'p:w' });
    expect(basicCredentials(`Basic ${b64('nocolon')}`)).toBeNull();
    expect(basicCredentials(`Basic ${b64(':pw')}`)).toBeNull();
    expect(basicCredentials('Bearer abc')).toBeNull();
    expect(basicCredentials(undefined)).toBeNull();
  });

  test('status pieces: lag words, no home section without a connection, owners escaped', () => {
    expect(formatLag(42)).toBe('42 s');
    expect(formatLag(3900)).toBe('1 h 5 min');
    expect(formatLag(3 * 86400)).toBe('3 days');
    expect(buildCrmHomeSection(null, 'UTC', new Date(0))).toEqual([]);
    const list = buildCrmOwnerList([{ crmOwnerId: '<@U1>', email: '*bold*@x.com', repName: 'Zed', slackUserId: null, matched: false }]);
    expect(list.text).not.toContain('<@U1>');
  });

  test('the Pipedrive webhook login is shown in the confirmation; the HubSpot one never carries a secret', () => {
    const p = buildCrmConnected({ vendor: 'pipedrive', webhookUrl: 'https://kpi.example.com/crm/pipedrive/webhook', pipedrive: { user: 'kpi-u', password: 'pw123' }, hubspotPortal: null });
    expect(p.text).toContain('HTTP Auth user `kpi-u`, password `pw123`');
    const hs = buildCrmConnected({ vendor: 'hubspot', webhookUrl: 'https://kpi.example.com/crm/hubspot/webhook', pipedrive: null, hubspotPortal: '1' });
    expect(hs.text).toContain('https://kpi.example.com/crm/hubspot/webhook');
  });

  test('the stage modal stays within Slack’s limits with many stages', () => {
    const stages = Array.from({ length: 150 }, (_, i) => ({ crmStageId: `s${i}`, label: `Stage ${i} `.repeat(20), pipelineLabel: 'P', target: i % 2 ? 'won' : 'lead', edited: false }));
    const view = buildCrmStagesModal({ stages, funnel: ['lead', 'demo'], meta: { channelId: 'C1' }, seal: (s) => s });
    expect(findViewViolations(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view.blocks)).toContain('55 more stages are not shown');
  });

  test('PUBLIC_URL and HUBSPOT_CLIENT_SECRET are checked at startup, naming the variable, never the value', () => {
    const base = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'signingsecret123' };
    const ok = loadConfig({ ...base, PUBLIC_URL: 'https://kpi.example.com/', HUBSPOT_CLIENT_SECRET: 'abcdefgh-1234' });
    expect(ok.PUBLIC_URL).toBe('https://kpi.example.com');
    expect(ok.HUBSPOT_CLIENT_SECRET).toBe('abcdefgh-1234');
    try {
      loadConfig({ ...base, PUBLIC_URL: 'ftp://x', HUBSPOT_CLIENT_SECRET: 'short' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const lines = (e as ConfigError).lines.join('\n');
      expect(lines).toContain('PUBLIC_URL');
      expect(lines).toContain('HUBSPOT_CLIENT_SECRET');
      expect(lines).not.toContain('short');
    }
  });
});
