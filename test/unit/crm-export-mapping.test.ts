import { describe, expect, test } from 'vitest';
import {
  closedStatusOfStage,
  crmDealType,
  detectCsvKind,
  funnelStageOf,
  hubspotExportMapping,
  parseCsv,
  pipedriveExportMapping,
  readBoolean,
  salesforceExportMapping,
  type TImportMapping,
  type TMappingContext,
} from '../../src/domain/imports/index.js';
import { FieldError } from '../../src/domain/imports/fields.js';

const NOW = new Date('2026-11-27T10:00:00Z');
const STAGES = ['lead', 'contacted', 'demo', 'proposal'];

function mapText(mapping: TImportMapping, lines: readonly string[], extra: Partial<TMappingContext> = {}) {
  const table = parseCsv(lines.join('\n'), 'x.csv');
  return mapping.map(table.rows, { file: 'x.csv', columns: table.columns, stages: STAGES, timeZone: 'UTC', currency: 'USD', now: NOW, ...extra });
}

describe('detectCsvKind: CRM exports by their headers', () => {
  test.each([
    ['Salesforce Data Loader', ['Id', 'Name', 'Account.Name', 'Amount', 'CurrencyIsoCode', 'StageName', 'IsWon', 'IsClosed', 'CloseDate', 'CreatedDate', 'Owner.Email'], 'salesforce'],
    ['Salesforce Data Export', ['Id', 'IsDeleted', 'AccountId', 'Name', 'StageName', 'Amount', 'CloseDate', 'IsClosed', 'IsWon', 'OwnerId'], 'salesforce'],
    ['Salesforce report', ['Opportunity Owner', 'Account Name', 'Opportunity Name', 'Stage', 'Amount', 'Close Date', 'Created Date', 'Opportunity ID'], 'salesforce'],
    ['HubSpot export', ['Record ID', 'Deal Name', 'Deal Stage', 'Amount', 'Close Date', 'Create Date', 'Deal owner', 'Pipeline'], 'hubspot'],
    ['HubSpot internal names', ['hs_object_id', 'dealname', 'dealstage', 'amount', 'closedate', 'hubspot_owner_id'], 'hubspot'],
    ['Pipedrive export', ['Deal - ID', 'Deal - Title', 'Deal - Value', 'Deal - Currency', 'Deal - Status', 'Deal - Stage', 'Deal - Owner'], 'pipedrive'],
    // not CRM exports
    ['generic with a Stage column', ['external_id', 'owner', 'customer', 'amount', 'status', 'stage', 'name', 'id'], 'generic'],
    ['Maven pipeline', ['opportunity_id', 'sales_agent', 'product', 'account', 'deal_stage', 'engage_date', 'close_date', 'close_value'], 'maven-pipeline'],
    ['a bare id and name', ['Id', 'Name', 'Amount'], 'unknown'],
  ] as const)('%s → %s', (_, columns, kind) => {
    expect(detectCsvKind(columns)).toBe(kind);
  });
});

describe('the small readers', () => {
  test.each([
    ['1', true],
    ['true', true],
    ['TRUE', true],
    ['yes', true],
    ['0', false],
    ['false', false],
    ['No', false],
    ['', null],
  ] as const)('readBoolean(%j) is %s', (text, value) => {
    expect(readBoolean('IsWon', text)).toBe(value);
  });

  test('readBoolean refuses anything else, naming the column', () => {
    expect(() => readBoolean('IsWon', 'maybe')).toThrow(FieldError);
    expect(() => readBoolean('IsWon', 'maybe')).toThrow(/IsWon "maybe"/);
  });

  test.each([
    ['Closed Won', 'won'],
    ['closedwon', 'won'],
    ['Closed Lost', 'lost'],
    ['closedlost', 'lost'],
    ['Negotiation/Review', null],
    ['', null],
  ] as const)('closedStatusOfStage(%j) is %s', (stage, status) => {
    expect(closedStatusOfStage(stage)).toBe(status);
  });

  test.each([
    ['', 'new'],
    ['New Customer', 'new'],
    ['newbusiness', 'new'],
    ['New Business', 'new'],
    ['Existing Customer - Upgrade', 'upsell'],
    ['existingbusiness', 'upsell'],
    ['Renewal', 'renewal'],
    ['Existing Customer - Renewal', 'renewal'],
    ['Partner referral', null],
  ] as const)('crmDealType(%j) is %s', (text, type) => {
    expect(crmDealType(text)).toBe(type);
  });

  test.each([
    ['demo', 'demo'], // the stage itself
    ['Trial', 'demo'], // an alias
    ['Proposal/Price Quote', 'proposal'],
    ['Negotiation/Review', 'proposal'],
    ['Contract Sent', 'proposal'],
    ['Presentation Scheduled', 'demo'],
    ['Appointment Scheduled', 'contacted'],
    ['Qualification', 'contacted'],
    ['Lead In', 'lead'],
    ['Prospecting', 'lead'],
    ['Id. Decision Makers', null],
  ] as const)('funnelStageOf(%j) is %s', (name, key) => {
    expect(funnelStageOf(name, STAGES)).toBe(key);
  });

  test('a stage word only maps to a stage the funnel has', () => {
    expect(funnelStageOf('Contract Sent', ['lead', 'qualified', 'closing'])).toBeNull();
  });
});

describe('Salesforce mapping', () => {
  const HEAD = 'Id,Name,Account.Name,Amount,CurrencyIsoCode,StageName,IsWon,IsClosed,CloseDate,CreatedDate,Owner.Name';

  test('won/lost from IsWon/IsClosed, else from the stage name; a won deal that is not closed is refused', () => {
    const out = mapText(salesforceExportMapping(), [
      HEAD,
      'A1,Deal A,Acme,100,USD,Anything,1,1,2026-03-01,2026-02-01T10:00:00.000Z,Ana',
      'A2,Deal B,Beta,100,USD,Closed Won,0,1,2026-03-01,2026-02-01T10:00:00.000Z,Ana',
      'A3,Deal C,Gamma,100,USD,Closed Lost,,,2026-03-01,,Ana',
      'A4,Deal D,Delta,100,USD,Proposal/Price Quote,false,false,2026-12-01,,Ana',
      'A5,Deal E,Eps,100,USD,Closed Won,true,false,2026-03-01,,Ana', // line 6
      'A6,Deal F,Zeta,100,USD,Closed Won,maybe,1,2026-03-01,,Ana', // line 7
    ]);
    expect(out.deals.map((d) => [d.draft.externalId, d.draft.status, d.draft.stage])).toEqual([
      ['salesforce:A1', 'won', 'won'],
      ['salesforce:A2', 'lost', 'lost'], // the flags win over the stage name
      ['salesforce:A3', 'lost', 'lost'],
      ['salesforce:A4', 'open', 'proposal'],
    ]);
    expect(out.issues.map((i) => [i.line, i.field, i.kind])).toEqual([
      [6, 'IsClosed', 'contradicts'],
      [7, 'IsWon', 'not a boolean'],
    ]);
    expect(out.deals[3]?.draft.closedAt).toBeNull(); // an open deal's CloseDate is only expected
    expect(out.deals.every((d) => d.draft.source === 'salesforce')).toBe(true);
  });

  test('a date-time without a zone is UTC; a CloseDate is noon in the workspace zone', () => {
    const out = mapText(
      salesforceExportMapping(),
      [HEAD, 'B1,Deal,Acme,100,USD,Closed Won,1,1,2026-03-01,2026-02-01 23:30:00,Ana', 'B2,Deal,Acme,100,USD,Closed Won,1,1,2026-03-01,2026-02-01T23:30:00.000+0000,Ana'],
      { timeZone: 'Asia/Ho_Chi_Minh' },
    );
    expect(out.deals.map((d) => d.draft.createdAt.toISOString())).toEqual(['2026-02-01T23:30:00.000Z', '2026-02-01T23:30:00.000Z']);
    expect(out.deals[0]?.draft.closedAt?.toISOString()).toBe('2026-03-01T05:00:00.000Z');
  });

  test('amount formats: plain and grouped decimals read exactly; anything else refused with its line', () => {
    const rows = ['1234.56', '"1,234.56"', '"12,50"', '1.234.567', '$12', '-5', '1e5', '0.125'];
    const out = mapText(salesforceExportMapping(), [HEAD, ...rows.map((a, i) => `C${i},Deal,Acme,${a},USD,Prospecting,0,0,,,Ana`)]);
    expect(out.deals.map((d) => [d.line, d.draft.amountMinor])).toEqual([
      [2, 123_456n],
      [3, 123_456n],
      [9, 13n], // half away from zero
    ]);
    expect(out.issues.map((i) => [i.line, i.field, i.kind])).toEqual([
      [4, 'Amount', 'not an amount'],
      [5, 'Amount', 'not an amount'],
      [6, 'Amount', 'not an amount'],
      [7, 'Amount', 'negative'],
      [8, 'Amount', 'not an amount'],
    ]);
  });

  test('currencies: any ISO 4217 code with its own decimals; unknown codes refused', () => {
    const out = mapText(salesforceExportMapping(), [
      HEAD,
      'D1,Deal,Acme,1234567.891,KWD,Prospecting,0,0,,,Ana',
      'D2,Deal,Acme,1500000.5,COP,Prospecting,0,0,,,Ana',
      'D3,Deal,Acme,990000,CLP,Prospecting,0,0,,,Ana',
      'D4,Deal,Acme,100,XYZ,Prospecting,0,0,,,Ana',
      'D5,Deal,Acme,100,,Prospecting,0,0,,,Ana',
    ]);
    expect(out.deals.map((d) => [d.draft.currency, d.draft.amountMinor])).toEqual([
      ['KWD', 1_234_567_891n],
      ['COP', 150_000_050n],
      ['CLP', 990_000n],
      ['USD', 10_000n], // no currency: the workspace's
    ]);
    expect(out.issues.map((i) => [i.line, i.field, i.kind])).toEqual([[5, 'CurrencyIsoCode', 'unknown currency']]);
  });

  test('a Data Export row marked IsDeleted is refused with its line', () => {
    const out = mapText(salesforceExportMapping(), [
      'Id,IsDeleted,Name,StageName,Amount,CloseDate,IsClosed,IsWon,OwnerId',
      'F1,0,Deal,Closed Won,100,2026-03-01,1,1,005A',
      'F2,1,Deal,Closed Won,100,2026-03-01,1,1,005A',
    ]);
    expect(out.deals.map((d) => d.draft.externalId)).toEqual(['salesforce:F1']);
    expect(out.issues.map((i) => [i.line, i.field, i.kind])).toEqual([[3, 'IsDeleted', 'deleted']]);
  });

  test('missing required columns refuse the whole file', () => {
    const out = mapText(salesforceExportMapping(), ['Id,Name,StageName', 'X,Y,Prospecting']);
    expect(out.fileErrors[0]).toMatch(/Salesforce Opportunity export.*amount, owner/);
  });

  test('empty ids (000000000000000AAA), duplicates, won deals without an amount or close date are refused', () => {
    const out = mapText(salesforceExportMapping(), [
      HEAD,
      '000000000000000AAA,Deal,Acme,100,USD,Prospecting,0,0,,,Ana',
      'E1,Deal,Acme,100,USD,Prospecting,0,0,,,Ana',
      'E1,Deal,Acme,100,USD,Prospecting,0,0,,,Ana',
      'E2,Deal,Acme,,USD,Closed Won,1,1,2026-03-01,,Ana',
      'E3,Deal,Acme,100,USD,Closed Won,1,1,,,Ana',
      'E4,Deal,Acme,100,USD,Closed Won,1,1,2027-03-01,,Ana',
      'E5,Deal,Acme,100,USD,Prospecting,0,0,,,',
    ]);
    expect(out.issues.map((i) => [i.line, i.field, i.kind])).toEqual([
      [2, 'Id', 'missing'],
      [4, 'Id', 'duplicate'],
      [5, 'Amount', 'zero'],
      [6, 'CloseDate', 'missing'],
      [7, 'CloseDate', 'in the future'],
      [8, 'Owner.Name', 'missing'],
    ]);
  });
});

describe('HubSpot and Pipedrive mappings', () => {
  test('HubSpot: Is Closed Won / stage names; local date-times in the workspace zone; Deal Type', () => {
    const out = mapText(
      hubspotExportMapping(),
      [
        'Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner,Deal Type,Currency,Associated Company,Is Closed Won',
        '1,Deal,closedwon,100,2026-03-01 09:00,2026-02-01 10:22,Ana,existingbusiness,EUR,Acme,',
        '2,Deal,Custom Won Stage,100,2026-03-01 09:00,2026-02-01 10:22,Ana,New Business,,Acme,true',
        '3,Deal,Closed Lost,,2026-03-01,2026-02-01,Ana,,,Acme,false',
        '4,Deal,Decision Maker Bought-In,100,2026-12-01 00:00,2026-11-01 08:00,Ana,Partner,,Acme,false',
      ],
      { timeZone: 'Europe/Berlin' },
    );
    expect(out.issues).toEqual([]);
    expect(out.deals.map((d) => [d.draft.status, d.draft.type, d.draft.currency, d.draft.stage])).toEqual([
      ['won', 'upsell', 'EUR', 'won'],
      ['won', 'new', 'USD', 'won'],
      ['lost', 'new', 'USD', 'lost'],
      ['open', 'new', 'USD', 'lead'], // no stage words: the first stage, counted in the notes
    ]);
    expect(out.deals[0]?.draft.createdAt.toISOString()).toBe('2026-02-01T09:22:00.000Z'); // 10:22 in Berlin (UTC+1)
    expect(out.notes.join(' ')).toMatch(/Decision Maker Bought-In ×1/);
    expect(out.notes.join(' ')).toMatch(/type that is not new, upsell or renewal \(Partner ×1\)/);
  });

  test('Pipedrive: Deal - Status decides; a lost deal keeps the stage it reached; deleted and unknown statuses refused', () => {
    const out = mapText(pipedriveExportMapping(), [
      'Deal - ID,Deal - Title,Deal - Organization,Deal - Value,Deal - Currency,Deal - Status,Deal - Stage,Deal - Owner,Deal - Deal created,Deal - Won time,Deal - Lost time,Deal - Lost reason',
      '1,T,Acme,10,USD,Won,Proposal Made,Ana,2026-01-01 10:00:00,2026-02-01 10:00:00,,',
      '2,T,Acme,10,USD,lost,Demo Scheduled,Ana,2026-01-01 10:00:00,,2026-02-01 10:00:00,Price',
      '3,T,Acme,10,USD,deleted,Demo Scheduled,Ana,2026-01-01 10:00:00,,,',
      '4,T,Acme,10,USD,archived,Demo Scheduled,Ana,2026-01-01 10:00:00,,,',
      '5,T,Acme,10,USD,lost,Demo Scheduled,Ana,2026-01-01 10:00:00,,,',
    ]);
    expect(out.deals.map((d) => [d.draft.status, d.draft.stage, d.draft.maxStageIndex, d.draft.lostReason])).toEqual([
      ['won', 'won', 4, null],
      ['lost', 'lost', 2, 'Price'],
    ]);
    expect(out.issues.map((i) => [i.line, i.field, i.kind])).toEqual([
      [4, 'Deal - Status', 'deleted'],
      [5, 'Deal - Status', 'unknown status'],
      [6, 'Deal - Lost time', 'missing'],
    ]);
  });
});
