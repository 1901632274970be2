import { describe, expect, it } from 'vitest';
import { CrmSourceError } from '../../src/domain/crm/crm-source.js';
import { retryAfterSeconds } from '../../src/crm/pipedrive/pipedrive-calls.js';
import { amountNumber, decimalText, parsePipedriveTime, readCursor, toCrmDeal } from '../../src/crm/pipedrive/pipedrive-mapping.js';
import { parsePipedriveWebhook, verifyPipedriveWebhook } from '../../src/crm/pipedrive/pipedrive-webhook.js';

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A v2 `change` delivery, shaped as in Pipedrive's webhooks v2 guide (meta / data / previous). */
const changeDelivery = {
  meta: {
    action: 'change',
    entity: 'deal',
    entity_id: '1',
    version: '2.0',
    company_id: '12882925',
    user_id: '18487521',
    id: 'c8a41abb-e3a2-4c7e-9248-415c48dc4e6c',
    webhook_id: '99',
    webhook_owner_id: '18487521',
    permitted_user_ids: ['18487521'],
    attempt: 1,
    host: 'company.pipedrive.com',
    timestamp: '2024-09-27T14:25:28.123Z',
    change_source: 'app',
    is_bulk_edit: false,
  },
  data: {
    id: 1,
    title: 'test deal',
    value: 2,
    currency: 'USD',
    status: 'won',
    stage_id: 1,
    pipeline_id: 1,
    owner_id: 18487521,
    person_id: 3,
    org_id: 2,
    add_time: '2024-09-27T14:25:27Z',
    update_time: '2024-09-27T14:25:28Z',
    won_time: '2024-09-27T14:25:28Z',
    custom_fields: {},
  },
  previous: { status: 'open' },
};

describe('Pipedrive webhooks v2: basic-auth check', () => {
  it('accepts the configured credentials only', () => {
    const creds = { username: 'kpi-hook', password: 'p4ss:word-with-colon' };
    expect(verifyPipedriveWebhook({ authorizationHeader: basic('kpi-hook', 'p4ss:word-with-colon'), ...creds })).toBe(true);
    expect(verifyPipedriveWebhook({ authorizationHeader: `basic ${Buffer.from('kpi-hook:p4ss:word-with-colon').toString('base64')}`, ...creds })).toBe(true);
    expect(verifyPipedriveWebhook({ authorizationHeader: basic('kpi-hook', 'p4ss:word-with-colo'), ...creds })).toBe(false);
    expect(verifyPipedriveWebhook({ authorizationHeader: basic('kpi-hoo', 'p4ss:word-with-colon'), ...creds })).toBe(false);
    expect(verifyPipedriveWebhook({ authorizationHeader: basic('kpi-hook', 'p4ss:word-with-colon') + 'x', ...creds })).toBe(false);
    expect(verifyPipedriveWebhook({ authorizationHeader: `Bearer ${Buffer.from('kpi-hook:p4ss:word-with-colon').toString('base64')}`, ...creds })).toBe(false);
    expect(verifyPipedriveWebhook({ authorizationHeader: undefined, ...creds })).toBe(false);
    expect(verifyPipedriveWebhook({ authorizationHeader: '', ...creds })).toBe(false);
  });

  it('refuses everything when no credentials are configured', () => {
    expect(verifyPipedriveWebhook({ authorizationHeader: basic('', ''), username: '', password: '' })).toBe(false);
    expect(verifyPipedriveWebhook({ authorizationHeader: basic('u', ''), username: 'u', password: '' })).toBe(false);
  });
});

describe('Pipedrive webhooks v2: payload', () => {
  it('a change names the deal and carries its main fields', () => {
    const event = parsePipedriveWebhook(changeDelivery)!;
    expect(event).toMatchObject({ crmId: '1', action: 'change', mergedIntoCrmId: null });
    expect(event.occurredAt?.toISOString()).toBe('2024-09-27T14:25:28.123Z');
    expect(event.data).toMatchObject({ id: 1, status: 'won', value: 2, org_id: 2 });
    // The same body as raw text (what the HTTP layer receives) reads the same.
    expect(parsePipedriveWebhook(JSON.stringify(changeDelivery))).toEqual(event);
  });

  it('a create is a change; a numeric Unix timestamp reads as seconds', () => {
    const event = parsePipedriveWebhook({ ...changeDelivery, meta: { ...changeDelivery.meta, action: 'create', timestamp: 1727447128 }, previous: null })!;
    expect(event.action).toBe('change');
    expect(event.occurredAt?.toISOString()).toBe('2024-09-27T14:25:28.000Z');
  });

  it('a delete (data null, the deal in previous) is a removal; a merge names the surviving deal', () => {
    const deleted = parsePipedriveWebhook({ meta: { action: 'delete', entity: 'deal', entity_id: '42', version: '2.0' }, data: null, previous: { id: 42, title: 'x' } });
    expect(deleted).toEqual({ crmId: '42', action: 'delete', mergedIntoCrmId: null, occurredAt: null });
    const merged = parsePipedriveWebhook({ meta: { action: 'delete', entity: 'deal', entity_id: '42', version: '2.0', merged_to_id: '7' }, data: null, previous: { id: 42 } });
    expect(merged).toMatchObject({ crmId: '42', action: 'delete', mergedIntoCrmId: '7' });
    // No entity_id in meta: the id comes from previous.
    expect(parsePipedriveWebhook({ meta: { action: 'delete', entity: 'deal' }, data: null, previous: { id: 43 } })!.crmId).toBe('43');
  });

  it('ignores other objects; refuses bodies that are not v2 deliveries', () => {
    expect(parsePipedriveWebhook({ ...changeDelivery, meta: { ...changeDelivery.meta, entity: 'person' } })).toBeNull();
    const v1 = { v: 1, meta: { v: 1, action: 'updated', object: 'deal', id: 1 }, current: {}, previous: {} };
    for (const bad of [v1, 'not json', null, { meta: { action: 'merged', entity: 'deal', entity_id: '1' } }, { meta: { action: 'change', entity: 'deal' }, data: null }]) {
      const err = (() => {
        try {
          parsePipedriveWebhook(bad);
          return null;
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(CrmSourceError);
      expect((err as CrmSourceError).kind).toBe('bad-response');
    }
  });
});

describe('Pipedrive mapping helpers', () => {
  it('prints amounts as plain decimal text and refuses ones a double cannot carry', () => {
    expect(decimalText(12000.5)).toBe('12000.5');
    expect(decimalText(-42)).toBe('-42');
    expect(decimalText(1e21)).toBe('1000000000000000000000');
    expect(decimalText(1e-7)).toBe('0.0000001');
    expect(amountNumber('1234.50')).toBe(1234.5);
    expect(amountNumber('-5')).toBe(-5);
    expect(amountNumber('999999999999999')).toBe(999_999_999_999_999);
    expect(amountNumber('1234567890123456.78')).toBeNull();
    expect(amountNumber('1e3')).toBeNull();
  });

  it('reads RFC 3339 and v1 times, and Retry-After as seconds or a date against the server clock', () => {
    expect(parsePipedriveTime('2025-01-02T03:04:05Z')?.toISOString()).toBe('2025-01-02T03:04:05.000Z');
    expect(parsePipedriveTime('2025-01-02 03:04:05')?.toISOString()).toBe('2025-01-02T03:04:05.000Z');
    expect(parsePipedriveTime('soon')).toBeNull();
    expect(retryAfterSeconds('7', undefined)).toBe(7);
    expect(retryAfterSeconds('Tue, 21 Oct 2025 07:28:30 GMT', 'Tue, 21 Oct 2025 07:28:00 GMT')).toBe(30);
    expect(retryAfterSeconds('Tue, 21 Oct 2025 07:28:30 GMT', undefined)).toBeNull();
    expect(retryAfterSeconds(undefined, undefined)).toBeNull();
  });

  it('maps a lost deal without organization: customer is the title, close date from lost_time', () => {
    const deal = toCrmDeal(
      { id: 9, title: ' Big one ', value: 10, currency: 'pen', status: 'lost', stage_id: 3, pipeline_id: 1, owner_id: 4, org_id: null, add_time: '2025-01-01T00:00:00Z', update_time: '2025-01-05T00:00:00Z', lost_time: '2025-01-04T00:00:00Z', close_time: '2025-01-03T00:00:00Z', lost_reason: 'Price', mrr: 5.5 },
      { orgName: null, appUrl: null },
    )!;
    expect(deal).toMatchObject({ crmId: '9', title: 'Big one', customer: 'Big one', currency: 'PEN', status: 'lost', lostReason: 'Price', recurringMonthly: '5.5', url: null });
    expect(deal.closedAt?.toISOString()).toBe('2025-01-04T00:00:00.000Z');
    expect(toCrmDeal({ id: 9, title: 'x', status: 'open', is_deleted: true, add_time: '2025-01-01T00:00:00Z', update_time: '2025-01-01T00:00:00Z' }, { orgName: null, appUrl: null })).toBeNull();
  });

  it('refuses a cursor that is not its own', () => {
    expect(readCursor(null)).toMatchObject({ since: null, pageCursor: null });
    expect(readCursor('{"since":"x"}')).toBeNull();
    expect(readCursor('not json')).toBeNull();
  });
});
