import { describe, expect, test } from 'vitest';
import {
  crmExternalId,
  decimalToMinor,
  defaultStageTargets,
  isSameDeal,
  mapDealState,
  retryDelayMs,
  safeErrorText,
  shouldNotifyAdmin,
  stageMoves,
} from '../../src/domain/crm/crm-mapping.js';
import type { TCrmDeal, TCrmStage } from '../../src/domain/crm/crm-source.js';
import type { TDealState } from '../../src/domain/crm/crm-mapping.js';
import { ownerImportKey } from '../../src/domain/crm/sync-crm.js';

const d = (iso: string): Date => new Date(iso);
const FUNNEL = ['lead', 'contacted', 'demo', 'proposal'];
const stage = (id: string, order: number, label: string, flags: Partial<TCrmStage> = {}, pipelineId = 'p1'): TCrmStage => ({
  id,
  pipelineId,
  pipelineLabel: null,
  label,
  order,
  isWon: false,
  isClosed: false,
  ...flags,
});

describe('decimalToMinor', () => {
  test.each([
    ['12000.5', 'USD', 1200050n],
    ['12000.50', 'USD', 1200050n],
    ['12000', 'USD', 1200000n],
    ['.5', 'EUR', 50n],
    ['10.005', 'USD', 1001n],
    ['10.004', 'USD', 1000n],
    ['1500000', 'VND', 1500000n],
    ['1500000.6', 'VND', 1500001n],
    ['1500000.4', 'JPY', 1500000n],
    ['-3.2', 'EUR', -320n],
    [' 42 ', 'USD', 4200n],
    ['99999999999999.99', 'USD', 9999999999999999n],
  ])('%s %s → %s', (text, currency, expected) => {
    expect(decimalToMinor(text, currency)).toBe(expected);
  });

  test.each(['', '.', '1e5', '1,000.00', '12 000', 'abc', '1.2.3', 'NaN'])('refuses %j', (text) => {
    expect(decimalToMinor(text, 'USD')).toBeNull();
  });
});

describe('crmExternalId / ownerImportKey', () => {
  test.each([
    ['hubspot', '123', 'hubspot:123'],
    ['pipedrive', '17', 'pipedrive:17'],
    ['salesforce', '0065g00000AbCdEAAV', 'salesforce:0065g00000AbCdEAAV'],
  ] as const)('%s %s → %s', (vendor, id, expected) => {
    expect(crmExternalId(vendor, id)).toBe(expected);
  });
  test('an owner-less deal has one shared rep key', () => {
    expect(ownerImportKey('pipedrive', null)).toBe('crm:pipedrive:unowned');
    expect(ownerImportKey('pipedrive', '9')).toBe('crm:pipedrive:9');
  });
});

describe('defaultStageTargets', () => {
  test('won and closed flags, label names, then position within each pipeline', () => {
    const targets = defaultStageTargets(
      [
        stage('s1', 0, 'Appointment scheduled'),
        stage('s2', 1, 'Qualified to buy'),
        stage('s3', 2, 'Demo scheduled'),
        stage('s4', 3, 'Contract sent'),
        stage('w', 4, 'Closed won', { isWon: true, isClosed: true }),
        stage('l', 5, 'Closed lost', { isClosed: true }),
        stage('q1', 1, 'Negotiation', {}, 'p2'),
        stage('q0', 0, 'Intro', {}, 'p2'),
      ],
      FUNNEL,
    );
    expect(Object.fromEntries(targets)).toEqual({ s1: 'lead', s2: 'contacted', s3: 'demo', s4: 'proposal', w: 'won', l: 'lost', q0: 'lead', q1: 'proposal' });
  });

  test.each([
    [1, ['lead']],
    [2, ['lead', 'demo']],
    [3, ['lead', 'contacted', 'demo']],
    [8, ['lead', 'lead', 'contacted', 'contacted', 'demo', 'demo', 'proposal', 'proposal']],
  ])('%i unnamed open stages spread over the funnel', (n, expected) => {
    const stages = Array.from({ length: n }, (_, i) => stage(`x${i}`, i, `Step ${i}`));
    const targets = defaultStageTargets(stages, FUNNEL);
    expect(stages.map((s) => targets.get(s.id))).toEqual(expected);
  });
});

describe('mapDealState', () => {
  const targets = new Map([
    ['a', 'lead'],
    ['b', 'demo'],
    ['w', 'won'],
    ['l', 'lost'],
  ]);
  const base = { status: 'open' as const, stageId: 'a', stageHistory: null, closedAt: null, modifiedAt: d('2026-11-05T00:00:00Z') };

  test.each<[string, Partial<TCrmDeal>, number | null, Partial<TDealState>]>([
    ['an open deal in a mapped stage', { stageId: 'b' }, null, { status: 'open', stage: 'demo', maxStageIndex: 2, closedAt: null }],
    ['an unknown stage falls to the first', { stageId: 'zzz' }, null, { status: 'open', stage: 'lead', maxStageIndex: 0 }],
    ['won by status wherever the stage maps', { status: 'won', stageId: 'a', closedAt: d('2026-10-01T00:00:00Z') }, null, { status: 'won', stage: 'won', maxStageIndex: 4, closedAt: d('2026-10-01T00:00:00Z') }],
    ['open deal in a won stage is won, closed at its modification', { stageId: 'w' }, null, { status: 'won', stage: 'won', maxStageIndex: 4, closedAt: d('2026-11-05T00:00:00Z') }],
    ['lost keeps the furthest stage of its history', { status: 'lost', stageId: 'l', closedAt: d('2026-10-02T00:00:00Z'), stageHistory: [{ stageId: 'a', enteredAt: d('2026-09-01T00:00:00Z') }, { stageId: 'b', enteredAt: d('2026-09-05T00:00:00Z') }] }, null, { status: 'lost', stage: 'lost', maxStageIndex: 2 }],
    ['lost in an open stage (Pipedrive keeps it) reached that stage', { status: 'lost', stageId: 'b', closedAt: d('2026-10-02T00:00:00Z') }, null, { status: 'lost', stage: 'lost', maxStageIndex: 2 }],
    ['never lower than the stored furthest stage', { stageId: 'a' }, 3, { stage: 'lead', maxStageIndex: 3 }],
    ['a stored won index is not kept for a reopened deal', { stageId: 'a' }, 4, { maxStageIndex: 3 }],
  ])('%s', (_label, over, previousMax, expected) => {
    expect(mapDealState({ ...base, ...over }, targets, FUNNEL, previousMax)).toMatchObject(expected);
  });
});

describe('stageMoves', () => {
  const targets = new Map([
    ['a', 'lead'],
    ['a2', 'lead'],
    ['b', 'demo'],
    ['w', 'won'],
  ]);
  test('maps, drops repeats of the same funnel stage, ends at the current stage', () => {
    const moves = stageMoves(
      [
        { stageId: 'a2', enteredAt: d('2026-09-02T00:00:00Z') },
        { stageId: 'a', enteredAt: d('2026-09-01T00:00:00Z') },
        { stageId: 'b', enteredAt: d('2026-09-10T00:00:00Z') },
        { stageId: 'unknown', enteredAt: d('2026-09-11T00:00:00Z') },
      ],
      targets,
      { stage: 'won', closedAt: d('2026-09-20T00:00:00Z'), createdAt: d('2026-09-01T00:00:00Z') },
    );
    expect(moves).toEqual([
      { fromStage: null, toStage: 'lead', changedAt: d('2026-09-01T00:00:00Z') },
      { fromStage: 'lead', toStage: 'demo', changedAt: d('2026-09-10T00:00:00Z') },
      { fromStage: 'demo', toStage: 'won', changedAt: d('2026-09-20T00:00:00Z') },
    ]);
  });
  test('an empty history is one move into the current stage', () => {
    expect(stageMoves([], targets, { stage: 'lead', closedAt: null, createdAt: d('2026-09-01T00:00:00Z') })).toEqual([{ fromStage: null, toStage: 'lead', changedAt: d('2026-09-01T00:00:00Z') }]);
  });
});

describe('isSameDeal', () => {
  const local = { id: 1, customerKey: 'acme', amountMinor: 1_200_000n, currency: 'USD', status: 'won', closedAt: d('2026-10-09T22:00:00Z') };
  test.each([
    ['same local day in Berlin', { closedAt: d('2026-10-10T15:00:00Z') }, 'Europe/Berlin', true],
    ['a different UTC day but the same day in Berlin', { closedAt: d('2026-10-10T21:59:00Z') }, 'Europe/Berlin', true],
    ['the next day in Berlin', { closedAt: d('2026-10-10T22:00:00Z') }, 'Europe/Berlin', false],
    ['same instant, different day in UTC', { closedAt: d('2026-10-10T15:00:00Z') }, 'UTC', false],
    ['another amount', { amountMinor: 1_200_001n, closedAt: d('2026-10-10T15:00:00Z') }, 'Europe/Berlin', false],
    ['another currency', { currency: 'EUR', closedAt: d('2026-10-10T15:00:00Z') }, 'Europe/Berlin', false],
    ['another customer', { customerKey: 'acme inc', closedAt: d('2026-10-10T15:00:00Z') }, 'Europe/Berlin', false],
    ['open on one side only', { closedAt: null }, 'Europe/Berlin', false],
  ] as const)('%s → %s', (_label, over, tz, expected) => {
    expect(isSameDeal(local, { customerKey: 'acme', amountMinor: 1_200_000n, currency: 'USD', ...over }, tz)).toBe(expected);
  });
  test('both open agree', () => {
    expect(isSameDeal({ ...local, closedAt: null }, { customerKey: 'acme', amountMinor: 1_200_000n, currency: 'USD', closedAt: null }, 'UTC')).toBe(true);
  });
});

describe('retryDelayMs', () => {
  test.each([
    [1, null, 60_000],
    [2, null, 120_000],
    [3, null, 240_000],
    [6, null, 1_920_000],
    [7, null, 3_600_000],
    [500, null, 3_600_000],
    [1, 600, 600_000],
    [7, 10, 3_600_000],
    [1, 7200, 7_200_000],
  ])('after %i failures, Retry-After %s → %i ms', (failures, retryAfter, expected) => {
    expect(retryDelayMs(failures, retryAfter)).toBe(expected);
  });
});

describe('shouldNotifyAdmin', () => {
  const at = d('2026-11-01T00:00:00Z');
  test.each([
    [{ status: 'active', errorNotifiedAt: null }, 'failing', true],
    [{ status: 'failing', errorNotifiedAt: at }, 'failing', false],
    [{ status: 'failing', errorNotifiedAt: null }, 'failing', true],
    [{ status: 'failing', errorNotifiedAt: at }, 'revoked', true],
    [{ status: 'revoked', errorNotifiedAt: at }, 'revoked', false],
    [{ status: 'failing', errorNotifiedAt: at }, 'active', false],
    [{ status: 'active', errorNotifiedAt: null }, 'active', false],
  ] as const)('%o then %s → %s', (previous, next, expected) => {
    expect(shouldNotifyAdmin(previous, next)).toBe(expected);
  });
});

describe('safeErrorText', () => {
  const token = 'pat-na1-aaaa1111-bbbb-2222';
  test.each([
    [`401 for ${token}`, [token], '401 for [redacted]'],
    ['401 for pat-eu1-abc-def', [], '401 for [redacted]'],
    ['GET /v1/deals?api_token=0123456789abcdef failed', [], 'GET /v1/deals?api_token=[redacted] failed'],
    ['header Authorization: Bearer eyJhbGciOi.x.y', [], 'header Authorization: [redacted] [redacted]'],
    ['sent Bearer eyJhbGciOi.x.y', [], 'sent Bearer [redacted]'],
    ['refresh_token="5Aep861secret" rejected', [], 'refresh_token="[redacted]" rejected'],
    ['session 00D5g000004X1ZQ!ARkAQFakeSessionId expired', [], 'session [redacted] expired'],
    ['plain text', ['s3cr3t-value'], 'plain text'],
  ])('%s', (message, secrets, expected) => {
    const text = safeErrorText(new Error(message), secrets);
    expect(text).toBe(expected);
    for (const s of secrets) expect(text).not.toContain(s);
  });
  test('long messages are cut to 500 characters', () => {
    expect(safeErrorText(new Error('x'.repeat(2000)), [])).toHaveLength(500);
  });
});
