import { z } from 'zod';
import { AppError } from '../../errors.js';
import { KPIS, type TKpi } from '../../domain/metrics/kpi-report.js';
import type { TScope } from '../../domain/metrics/scope.js';
import { LIMITS } from '../blocks/limits.js';
import { SEAL_OVERHEAD } from '../sealed-values.js';

/**
 * What the *Share in channel* button carries so the same answer can be recomputed: the KPI, the
 * period as typed plus the instant it was read at (so `this month` or `last 30 days` mean the same
 * days when shared later), the resolved period key (for the record), the scope and the plan target.
 */
export interface TKpiShareRef {
  readonly kpi: TKpi;
  /** Period words as typed ('' = this month). */
  readonly periodInput: string;
  /** TPeriod.key of the answer. */
  readonly periodKey: string;
  /** Instant relative periods were resolved at. */
  readonly anchor: Date;
  readonly scope: TScope;
  /** plan: the target in reporting-currency minor units. */
  readonly targetMinor: bigint | null;
}

const ZShareValue = z.object({
  v: z.literal(1),
  k: z.enum(KPIS as [TKpi, ...TKpi[]]),
  i: z.string().max(200).default(''),
  p: z.string().max(64),
  a: z.number().int().nonnegative(),
  s: z.string().regex(/^(w|r\d{1,12}|t\d{1,12})$/),
  t: z.string().regex(/^\d{1,20}$/).optional(),
});

function scopeCode(s: TScope): string {
  return s.kind === 'workspace' ? 'w' : s.kind === 'rep' ? `r${s.repId}` : `t${s.teamId}`;
}

/**
 * Compact JSON for the button value (at most 2,000 characters with its seal: long period input is dropped, the
 * period key and anchor still reproduce the period).
 *
 * @example
 * encodeKpiShareValue({ kpi: 'winrate', periodInput: 'last month', periodKey: '2026-10', anchor: new Date(0), scope: { kind: 'workspace' }, targetMinor: null });
 * // '{"v":1,"k":"winrate","i":"last month","p":"2026-10","a":0,"s":"w"}'
 */
export function encodeKpiShareValue(ref: TKpiShareRef): string {
  const body = {
    v: 1,
    k: ref.kpi,
    i: ref.periodInput.length <= 200 ? ref.periodInput : '',
    p: ref.periodKey,
    a: Math.floor(ref.anchor.getTime() / 1000),
    s: scopeCode(ref.scope),
    ...(ref.targetMinor !== null ? { t: ref.targetMinor.toString() } : {}),
  };
  const json = JSON.stringify(body);
  // Room for the seal (sealed-values.ts): a truncated sealed value would never open.
  return json.length <= LIMITS.buttonValue - SEAL_OVERHEAD ? json : JSON.stringify({ ...body, i: '' });
}

/** Reads a button value back; anything malformed is an INVALID_INPUT AppError (never trusted). */
export function decodeKpiShareValue(value: string | undefined): TKpiShareRef {
  let raw: unknown;
  try {
    raw = JSON.parse(value ?? '');
  } catch {
    raw = null;
  }
  const parsed = ZShareValue.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('INVALID_INPUT', 'That button no longer carries a KPI answer I can share. Ask again with `/kpi` and share the new answer.', {
      example: '/kpi winrate',
      i18n: { key: 'error.kpi.shareStale' },
    });
  }
  const v = parsed.data;
  const id = Number(v.s.slice(1));
  const scope: TScope = v.s === 'w' ? { kind: 'workspace' } : v.s.startsWith('r') ? { kind: 'rep', repId: id } : { kind: 'team', teamId: id };
  return { kpi: v.k, periodInput: v.i, periodKey: v.p, anchor: new Date(v.a * 1000), scope, targetMinor: v.t === undefined ? null : BigInt(v.t) };
}
