import { describe, expect, test } from 'vitest';
import { detectCsvKind, genericMapping, mavenCrmMapping, parseCsv, type TMappingContext } from '../../src/domain/imports/index.js';
import { dateReader, FieldError, groupIssues } from '../../src/domain/imports/fields.js';

const NOW = new Date('2026-11-27T10:00:00Z');
const STAGES = ['lead', 'contacted', 'demo', 'proposal'];

function ctxFor(text: string, extra: Partial<TMappingContext> = {}) {
  const table = parseCsv(text, 'f.csv');
  return { table, ctx: { file: 'f.csv', columns: table.columns, stages: STAGES, timeZone: 'UTC', currency: 'USD', now: NOW, ...extra } satisfies TMappingContext };
}

describe('parseCsv', () => {
  test('BOM, CRLF, blank lines and a quoted field spanning lines keep true line numbers', () => {
    const t = parseCsv('\ufeffid,name\r\nA,"two\r\nlines"\r\n\r\nB,plain\r\nC\r\nD,"x,y"', 'x.csv');
    expect(t.columns).toEqual(['id', 'name']);
    expect(t.lineEndings).toBe('crlf');
    expect(t.rows.map((r) => [r.line, r.values['id'], r.values['name']])).toEqual([
      [2, 'A', 'two\r\nlines'],
      [5, 'B', 'plain'],
      [7, 'D', 'x,y'],
    ]);
    expect(t.malformed).toEqual([{ file: 'x.csv', line: 6, field: 'row', kind: 'wrong number of fields', message: 'has 1 field, the header has 2' }]);
  });

  test('text that is not CSV is refused naming the line', () => {
    expect(() => parseCsv('a,b\n1,"open\n', 'bad.csv')).toThrow(/bad\.csv.*not valid CSV/);
  });
});

describe('dateReader', () => {
  test('a calendar date is local noon in the workspace zone, DST-safe', () => {
    expect(dateReader('UTC')('d', '2017-03-01').toISOString()).toBe('2017-03-01T12:00:00.000Z');
    expect(dateReader('Asia/Ho_Chi_Minh')('d', '2017-03-01').toISOString()).toBe('2017-03-01T05:00:00.000Z');
    expect(dateReader('Europe/Berlin')('d', '2025-03-30').toISOString()).toBe('2025-03-30T10:00:00.000Z');
    expect(dateReader('UTC')('d', '2025-01-05T08:30:00+07:00').toISOString()).toBe('2025-01-05T01:30:00.000Z');
  });

  test('ambiguous or impossible dates are refused', () => {
    expect(() => dateReader('UTC')('close_date', '03/04/2017')).toThrow(FieldError);
    expect(() => dateReader('UTC')('close_date', '2017-02-30')).toThrow(/not a date/);
  });
});

describe('maven-crm mapping', () => {
  const header = 'opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value';

  test('stages, Lost rule, blank account and the undated-lead fallback', () => {
    const { table, ctx } = ctxFor(
      [
        header,
        'P1,Ann Lee,GTXPro,,Prospecting,,,',
        'E1,Ann Lee,MG Special,Acme,Engaging,2017-05-02,,',
        'W1,Bo Chan,GTX Basic,Acme,Won,2017-01-02,2017-02-03,550',
        'L1,Bo Chan,GTX Basic,Beta,Lost,2017-01-04,2017-06-30,0',
      ].join('\r\n'),
    );
    const m = mavenCrmMapping().map(table.rows, ctx);
    expect(m.issues).toEqual([]);
    const by = Object.fromEntries(m.deals.map((d) => [d.draft.externalId, d.draft]));
    expect(by['P1']).toMatchObject({ status: 'open', stage: 'lead', maxStageIndex: 0, customer: '(no account)', amountMinor: 0n, createdAtIsFallback: true, notes: 'Product: GTXPro' });
    expect(by['P1']?.createdAt.toISOString()).toBe('2017-06-30T12:00:00.000Z'); // latest date in the file
    expect(by['E1']).toMatchObject({ status: 'open', stage: 'contacted', maxStageIndex: 1 });
    expect(by['W1']).toMatchObject({ status: 'won', stage: 'won', maxStageIndex: 4, amountMinor: 55000n, currency: 'USD', type: 'new' });
    expect(by['L1']).toMatchObject({ status: 'lost', stage: 'lost', maxStageIndex: 1, amountMinor: 0n });
    expect(by['W1']?.owner).toEqual({ importKey: 'maven:Bo Chan', name: 'Bo Chan', slackUserId: null, matchByName: false });
    expect(m.notes.join('\n')).toContain('1 row without an account');
  });

  test('with custom stages, Engaging is the second stage', () => {
    const { table, ctx } = ctxFor(`${header}\nE1,Ann,X,Acme,Engaging,2017-05-02,,`, { stages: ['new', 'qualified', 'trial'] });
    expect(mavenCrmMapping().map(table.rows, ctx).deals[0]?.draft).toMatchObject({ stage: 'qualified', maxStageIndex: 1 });
  });

  test('contradictory rows are invalid with their line, not fixed', () => {
    const { table, ctx } = ctxFor(
      [
        header,
        'A,Ann,X,Acme,Won,2017-01-02,2017-02-03,0',
        'B,Ann,X,Acme,Engaging,2017-01-02,2017-02-03,',
        'C,Ann,X,Acme,Negotiating,2017-01-02,,',
        'A,Ann,X,Acme,Engaging,2017-01-02,,',
        'D,,X,Acme,Won,2017-03-02,2017-02-03,12.5.0',
      ].join('\n'),
    );
    const m = mavenCrmMapping().map(table.rows, ctx);
    expect(m.deals).toEqual([]);
    expect(m.issues.map((i) => [i.line, i.field, i.kind])).toEqual([
      [2, 'close_value', 'zero on a won deal'],
      [3, 'close_date', 'set on an open deal'],
      [4, 'deal_stage', 'unknown stage'],
      [5, 'opportunity_id', 'duplicate'],
      [6, 'sales_agent', 'missing'],
      [6, 'close_value', 'not an amount'],
      [6, 'engage_date', 'after close date'],
    ]);
    expect(groupIssues(m.issues)[0]).toMatchObject({ count: 1 });
  });

  test('missing columns refuse the file', () => {
    const { table, ctx } = ctxFor('opportunity_id,sales_agent\nA,Ann');
    expect(mavenCrmMapping().map(table.rows, ctx).fileErrors[0]).toMatch(/no column product, account, deal_stage/);
  });
});

describe('generic mapping', () => {
  test('header names are normalised; amounts as /deal reads them; owners by Slack id or name', () => {
    const { table, ctx } = ctxFor(
      [
        'External ID,Owner,Customer,Amount,Currency,Status,Stage,Type,Created At,Closed At',
        'X1,<@U0ABCDEF12>,Acme,"$12,000",,Closed Won,,cross-sell,2025-01-01,2025-01-20',
        'X2,Ann Lee,Beta,800tr,VND,open,trial,,,',
      ].join('\n'),
    );
    const m = genericMapping().map(table.rows, ctx);
    expect(m.issues).toEqual([]);
    const [x1, x2] = m.deals.map((d) => d.draft);
    expect(x1).toMatchObject({ status: 'won', amountMinor: 1_200_000n, currency: 'USD', type: 'upsell', maxStageIndex: 4 });
    expect(x1?.owner).toMatchObject({ slackUserId: 'U0ABCDEF12' });
    expect(x2).toMatchObject({ status: 'open', stage: 'demo', maxStageIndex: 2, amountMinor: 800_000_000n, currency: 'VND', createdAtIsFallback: true });
    expect(x2?.owner).toEqual({ importKey: 'csv:ann lee', name: 'Ann Lee', slackUserId: null, matchByName: true });
  });

  test('invalid rows name the field and the reason', () => {
    const { table, ctx } = ctxFor(
      [
        'external_id,owner,customer,amount,currency,status,closed_at',
        'Y1,Ann,Acme,800tr,USD,open,',
        'Y2,Ann,Acme,100,,won,',
        'Y3,Ann,Acme,100,,open,2025-01-01',
        'Y4,Ann,Acme,1.200,,won,2025-01-01',
        'Y5,Ann,Acme,100,,pending,',
        'Y6,Ann,Acme,100,,won,2099-01-01',
      ].join('\n'),
    );
    const m = genericMapping().map(table.rows, ctx);
    expect(m.issues.map((i) => [i.line, i.field, i.kind])).toEqual([
      [2, 'amount', 'currency mismatch'],
      [3, 'closed_at', 'missing'],
      [4, 'closed_at', 'set on an open deal'],
      [5, 'amount', 'ambiguous amount'],
      [6, 'status', 'unknown status'],
      [7, 'closed_at', 'in the future'],
    ]);
  });

  test('required columns missing refuse the file', () => {
    const { table, ctx } = ctxFor('external_id,owner,amount\nA,B,1');
    expect(genericMapping().map(table.rows, ctx).fileErrors[0]).toMatch(/no column customer, status/);
  });
});

test('detectCsvKind recognises the Maven files and generic ones', () => {
  expect(detectCsvKind(['opportunity_id', 'sales_agent', 'product', 'account', 'deal_stage', 'engage_date', 'close_date', 'close_value'])).toBe('maven-pipeline');
  expect(detectCsvKind(['sales_agent', 'manager', 'regional_office'])).toBe('maven-teams');
  expect(detectCsvKind(['product', 'series', 'sales_price'])).toBe('maven-products');
  expect(detectCsvKind(['account', 'sector', 'year_established', 'revenue', 'employees', 'office_location', 'subsidiary_of'])).toBe('maven-accounts');
  expect(detectCsvKind(['Table', 'Field', 'Description'])).toBe('maven-dictionary');
  expect(detectCsvKind(['External ID', 'owner', 'customer', 'amount', 'status'])).toBe('generic');
  expect(detectCsvKind(['a', 'b'])).toBe('unknown');
});
