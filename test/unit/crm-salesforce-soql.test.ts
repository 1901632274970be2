import { describe, expect, it } from 'vitest';
import {
  assertFieldName,
  buildHistoryQuery,
  buildOpportunityQuery,
  chunkIds,
  decimalText,
  mapOpportunityType,
  parseLimitInfo,
  parseRetryAfter,
  parseSalesforceDateTime,
  readCursor,
  soqlDateTime,
  soqlString,
  stageEntries,
} from '../../src/crm/salesforce/soql.js';

describe('Salesforce SOQL and mapping helpers', () => {
  it('builds the Opportunity pull: bound, strict fallback, multi-currency and custom fields', () => {
    const since = new Date('2025-02-03T04:05:06.789Z');
    const base = { since, multiCurrency: false, lostReasonField: null, recurringMonthlyField: null };
    expect(buildOpportunityQuery(base)).toMatch(/ FROM Opportunity WHERE SystemModstamp >= 2025-02-03T04:05:06Z ORDER BY SystemModstamp, Id$/);
    expect(buildOpportunityQuery({ ...base, strict: true })).toContain('WHERE SystemModstamp > 2025-02-03T04:05:06Z');
    expect(buildOpportunityQuery({ ...base, since: null })).toMatch(/FROM Opportunity ORDER BY SystemModstamp, Id$/);
    const multi = buildOpportunityQuery({ ...base, multiCurrency: true, lostReasonField: 'Loss_Reason__c', recurringMonthlyField: 'MRR__c' });
    expect(multi).toContain('IsDeleted, CurrencyIsoCode, Loss_Reason__c, MRR__c FROM');
    expect(() => buildOpportunityQuery({ ...base, lostReasonField: 'Id FROM User WHERE Id != null' })).toThrow(/field API name/);
    expect(() => assertFieldName('X__c')).not.toThrow();
  });

  it('escapes SOQL strings and chunks ids', () => {
    expect(soqlString("O'Brien\\x")).toBe("'O\\'Brien\\\\x'");
    expect(buildHistoryQuery(["006A", "0'6"])).toContain("IN ('006A', '0\\'6')");
    expect(chunkIds(Array.from({ length: 601 }, (_, i) => String(i))).map((c) => c.length)).toEqual([300, 300, 1]);
    expect(soqlDateTime(new Date('2025-01-01T00:00:00.999Z'))).toBe('2025-01-01T00:00:00Z');
  });

  it('maps Type picklist values onto new / upsell / renewal', () => {
    expect(['New Business', 'New Customer', 'Existing Business', 'Existing Customer - Upgrade', 'Renewal', 'Contract renewal', 'Existing Customer - Downgrade', 'Existing Customer - Replacement', 'Partner', null].map(mapOpportunityType)).toEqual([
      'new', 'new', 'upsell', 'upsell', 'renewal', 'renewal', null, null, null, null,
    ]);
  });

  it('turns OpportunityHistory snapshots into stage entries, collapsing non-stage changes', () => {
    const rows = [
      { StageName: 'Prospecting', CreatedDate: '2025-01-01T00:00:00.000+0000' },
      { StageName: 'Prospecting', CreatedDate: '2025-01-02T00:00:00.000+0000' },
      { StageName: 'Closed Won', CreatedDate: '2025-01-03T10:00:00.000+0000' },
      { StageName: 'Prospecting', CreatedDate: '2025-01-04T00:00:00.000+0000' },
    ];
    expect(stageEntries(rows).map((e) => [e.stageId, e.enteredAt.toISOString()])).toEqual([
      ['Prospecting', '2025-01-01T00:00:00.000Z'],
      ['Closed Won', '2025-01-03T10:00:00.000Z'],
      ['Prospecting', '2025-01-04T00:00:00.000Z'],
    ]);
    expect(parseSalesforceDateTime('2025-01-02T03:04:05.000-0300').toISOString()).toBe('2025-01-02T06:04:05.000Z');
  });

  it('keeps amounts as decimal text and reads the limit and Retry-After headers', () => {
    expect([decimalText(12000.5), decimalText(0.1), decimalText(12500000), decimalText(null), decimalText('7.25'), decimalText('abc')]).toEqual(['12000.5', '0.1', '12500000', null, '7.25', null]);
    expect(parseLimitInfo('api-usage=25/15000')).toEqual({ used: 25, limit: 15000 });
    expect(parseLimitInfo('per-app-api-usage=1/10(appName=x)')).toBeNull();
    expect(parseLimitInfo('api-usage=25/5000; per-app-api-usage=17/250(appName=sample-connected-app)')).toEqual({ used: 25, limit: 5000 });
    expect(parseLimitInfo('per-app-api-usage=17/250(appName=a); api-usage=30/5000')).toEqual({ used: 30, limit: 5000 });
    expect(parseLimitInfo('api-usage=110018/100000; api-bursts=1/750')).toEqual({ used: 110018, limit: 100000 });
    expect(parseRetryAfter('12', new Date(0))).toBe(12);
    expect(parseRetryAfter('Tue, 21 Oct 2025 07:28:05 GMT', new Date('2025-10-21T07:28:00Z'))).toBe(5);
    expect(parseRetryAfter('soon', new Date(0))).toBeNull();
  });

  it('refuses a cursor it did not write', () => {
    expect(readCursor(null)).toMatchObject({ since: null, next: null, skip: [] });
    expect(() => readCursor(JSON.stringify({ after: 'abc' }))).toThrow();
  });
});
