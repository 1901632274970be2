import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizeHubSpotUri, parseHubSpotWebhookEvents, verifyHubSpotSignatureV3 } from '../../src/crm/hubspot/hubspot-webhook.js';

const SECRET = 'app-client-secret-1234';
const NOW = new Date('2024-06-01T12:00:00.000Z');
const URI = 'https://kpi.example.com/crm/hubspot/webhook';
const BODY = JSON.stringify([{ eventId: 1, subscriptionType: 'deal.propertyChange', objectId: 123, propertyName: 'amount', propertyValue: '10', occurredAt: NOW.getTime() }]);

/** Independent signer: HMAC-SHA256(secret, method + uri + body + timestamp), base64 (HubSpot's v3 doc). */
const sign = (method: string, uri: string, body: string, ts: string): string => createHmac('sha256', SECRET).update(method + uri + body + ts, 'utf8').digest('base64');

describe('verifyHubSpotSignatureV3', () => {
  const ts = String(NOW.getTime() - 30_000);

  it('accepts a valid signature', () => {
    expect(verifyHubSpotSignatureV3({ clientSecret: SECRET, method: 'POST', uri: URI, body: BODY, timestamp: ts, signature: sign('POST', URI, BODY, ts), now: NOW })).toEqual({ ok: true });
    expect(verifyHubSpotSignatureV3({ clientSecret: SECRET, method: 'POST', uri: URI, body: Buffer.from(BODY), timestamp: ts, signature: sign('POST', URI, BODY, ts), now: NOW }).ok).toBe(true);
  });

  it('refuses a tampered body, another secret, another URI or method', () => {
    const sig = sign('POST', URI, BODY, ts);
    const base = { clientSecret: SECRET, method: 'POST', uri: URI, body: BODY, timestamp: ts, signature: sig, now: NOW };
    expect(verifyHubSpotSignatureV3({ ...base, body: BODY.replace('"10"', '"99"') })).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(verifyHubSpotSignatureV3({ ...base, clientSecret: 'other-secret' }).ok).toBe(false);
    expect(verifyHubSpotSignatureV3({ ...base, uri: `${URI}?x=1` }).ok).toBe(false);
    expect(verifyHubSpotSignatureV3({ ...base, method: 'GET' }).ok).toBe(false);
    expect(verifyHubSpotSignatureV3({ ...base, signature: undefined }).ok).toBe(false);
    expect(verifyHubSpotSignatureV3({ ...base, signature: 'not base64!' }).ok).toBe(false);
  });

  it('refuses a timestamp older than 5 minutes (and one far in the future), even with a valid signature', () => {
    const old = String(NOW.getTime() - 5 * 60_000 - 1);
    const r = verifyHubSpotSignatureV3({ clientSecret: SECRET, method: 'POST', uri: URI, body: BODY, timestamp: old, signature: sign('POST', URI, BODY, old), now: NOW });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toMatch(/older than 5 minutes/);
    const edge = String(NOW.getTime() - 5 * 60_000);
    expect(verifyHubSpotSignatureV3({ clientSecret: SECRET, method: 'POST', uri: URI, body: BODY, timestamp: edge, signature: sign('POST', URI, BODY, edge), now: NOW }).ok).toBe(true);
    const future = String(NOW.getTime() + 10 * 60_000);
    expect(verifyHubSpotSignatureV3({ clientSecret: SECRET, method: 'POST', uri: URI, body: BODY, timestamp: future, signature: sign('POST', URI, BODY, future), now: NOW }).ok).toBe(false);
    expect(verifyHubSpotSignatureV3({ clientSecret: SECRET, method: 'POST', uri: URI, body: BODY, timestamp: 'yesterday', signature: sign('POST', URI, BODY, 'yesterday'), now: NOW }).ok).toBe(false);
  });

  it('hashes the URI with the documented percent-encodings decoded, and only those', () => {
    expect(normalizeHubSpotUri('https://h.example/a%3Ab%2fc?x=%40%21%24%27%28%29%2A%2C%3B%3F&y=a%20b%26c%3Dd')).toBe("https://h.example/a:b/c?x=@!$'()*,;?&y=a%20b%26c%3Dd");
    const encoded = 'https://kpi.example.com/crm/hubspot/webhook?portal=1%2C2&name=a%20b';
    const decoded = 'https://kpi.example.com/crm/hubspot/webhook?portal=1,2&name=a%20b';
    const ts = String(NOW.getTime());
    expect(verifyHubSpotSignatureV3({ clientSecret: SECRET, method: 'POST', uri: encoded, body: BODY, timestamp: ts, signature: sign('POST', decoded, BODY, ts), now: NOW }).ok).toBe(true);
    expect(verifyHubSpotSignatureV3({ clientSecret: SECRET, method: 'POST', uri: encoded, body: BODY, timestamp: ts, signature: sign('POST', encoded, BODY, ts), now: NOW }).ok).toBe(false);
  });
});

describe('parseHubSpotWebhookEvents', () => {
  it('turns a batch into deals to refresh and removals; other objects are ignored', () => {
    const events = [
      { eventId: 1, subscriptionType: 'deal.creation', objectId: 10, occurredAt: 1 },
      { eventId: 2, subscriptionType: 'deal.propertyChange', objectId: 11, propertyName: 'dealstage', propertyValue: 'closedwon', occurredAt: 2 },
      { eventId: 3, subscriptionType: 'deal.propertyChange', objectId: 10, propertyName: 'amount', propertyValue: '5', occurredAt: 3 },
      { eventId: 4, subscriptionType: 'deal.deletion', objectId: 12, occurredAt: 1_717_243_200_000 },
      { eventId: 5, subscriptionType: 'deal.merge', objectId: 20, primaryObjectId: 20, mergedObjectIds: [21], newObjectId: 22, occurredAt: 1_717_243_300_000 },
      { eventId: 6, subscriptionType: 'contact.propertyChange', objectId: 99, occurredAt: 6 },
      { eventId: 7, subscriptionType: 'object.propertyChange', objectTypeId: '0-3', objectId: 13, occurredAt: 7 },
      { eventId: 8, subscriptionType: 'deal.propertyChange', objectId: 12, occurredAt: 8 },
      { eventId: 9, subscriptionType: 'deal.deletion', objectId: 12, occurredAt: 1_717_243_400_000 },
      { nonsense: true },
    ];
    const r = parseHubSpotWebhookEvents(events);
    expect(r.refresh).toEqual(['10', '11', '22', '13']);
    expect([...r.removals].sort((a, b) => a.crmId.localeCompare(b.crmId))).toEqual([
      { crmId: '12', removedAt: new Date(1_717_243_400_000), mergedIntoCrmId: null },
      { crmId: '20', removedAt: new Date(1_717_243_300_000), mergedIntoCrmId: '22' },
      { crmId: '21', removedAt: new Date(1_717_243_300_000), mergedIntoCrmId: '22' },
    ]);
    expect(r.ignored).toBe(2);
  });

  it('a restore after a deletion refreshes instead of removing; a non-array body is ignored', () => {
    const r = parseHubSpotWebhookEvents([
      { subscriptionType: 'deal.deletion', objectId: 5, occurredAt: 1 },
      { subscriptionType: 'deal.restore', objectId: 5, occurredAt: 2 },
    ]);
    expect(r).toEqual({ refresh: ['5'], removals: [], ignored: 0 });
    expect(parseHubSpotWebhookEvents({ not: 'an array' })).toEqual({ refresh: [], removals: [], ignored: 1 });
  });
});
