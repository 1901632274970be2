import { redactSecrets } from '../../logger.js';
import { localParts } from '../periods.js';
import { currencyDecimals } from '../money.js';
import { parseStage } from '../deals/stages.js';
import type { TCrmDeal, TCrmStage, TCrmStageEntry, TCrmVendor } from './crm-source.js';

/**
 * The pure rules of the CRM sync (src/domain/crm/sync-crm.ts): identity, amounts, stage mapping,
 * matching of deals logged in Slack, backoff and admin notices. No I/O here.
 */

export const CRM_VENDORS: readonly TCrmVendor[] = ['hubspot', 'pipedrive', 'salesforce'];

/** Whether a `Deal.source` is a CRM's. @example isCrmSource('hubspot') // true */
export function isCrmSource(source: string): source is TCrmVendor {
  return (CRM_VENDORS as readonly string[]).includes(source);
}

/**
 * `Deal.externalId` of a CRM record. The vendor prefix keeps ids of different systems apart under
 * the existing unique (workspaceId, externalId) index: a Pipedrive deal 17 and a CSV row whose
 * external_id is 17 are two deals. An export of the same CRM imported with the same form
 * (`hubspot:123`) is the same deal, and the sync takes it over.
 *
 * @example crmExternalId('hubspot', '123') // 'hubspot:123'
 */
export function crmExternalId(vendor: TCrmVendor, crmId: string): string {
  return `${vendor}:${crmId}`;
}

/**
 * A CRM's decimal text in integer minor units of the currency, rounded half away from zero past
 * the currency's digits; null for text that is not a plain decimal number. No float involved.
 *
 * @example
 * decimalToMinor('12000.5', 'USD'); // 1200050n
 * decimalToMinor('1500000', 'VND'); // 1500000n
 * decimalToMinor('10.005', 'USD'); // 1001n
 * decimalToMinor('-3.2', 'EUR'); // -320n
 * decimalToMinor('1e5', 'USD'); // null
 */
export function decimalToMinor(text: string, currency: string): bigint | null {
  const m = /^\s*([+-])?(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!m || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) return null;
  const digits = currencyDecimals(currency);
  const whole = m[2] || '0';
  const frac = m[3] ?? '';
  const kept = frac.slice(0, digits).padEnd(digits, '0');
  let minor = BigInt(whole + kept);
  if ((frac[digits] ?? '0') >= '5') minor += 1n;
  return m[1] === '-' ? -minor : minor;
}

/** Where a CRM stage lands: an open funnel stage key, or won / lost. */
export type TStageTarget = string;

/**
 * Default targets of a CRM's stages on the workspace funnel: won stages → `won`, other closed
 * stages → `lost`; an open stage whose label names a funnel stage (`Demo`, `Proposal`, `Negotiation`)
 * goes there, the others spread over the funnel by their position in their pipeline.
 *
 * @example
 * defaultStageTargets([{ id: 'a', order: 0, label: 'Qualified', … }, { id: 'w', isWon: true, isClosed: true, … }], ['lead', 'demo'])
 * // Map { 'a' → 'lead', 'w' → 'won' }
 */
export function defaultStageTargets(stages: readonly TCrmStage[], funnel: readonly string[]): Map<string, TStageTarget> {
  const out = new Map<string, TStageTarget>();
  const open = new Map<string, TCrmStage[]>();
  for (const s of stages) {
    if (s.isWon) out.set(s.id, 'won');
    else if (s.isClosed) out.set(s.id, 'lost');
    else {
      const key = s.pipelineId ?? '';
      open.set(key, [...(open.get(key) ?? []), s]);
    }
  }
  for (const list of open.values()) {
    const sorted = [...list].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
    sorted.forEach((s, i) => {
      out.set(s.id, labelTarget(s.label, funnel) ?? funnel[Math.min(funnel.length - 1, Math.floor((i * funnel.length) / sorted.length))] ?? 'lead');
    });
  }
  return out;
}

function labelTarget(label: string, funnel: readonly string[]): string | null {
  for (const candidate of [label, ...label.split(/[\s/_-]+/)]) {
    try {
      return parseStage(candidate, funnel);
    } catch {
      // not a funnel stage's name: try the next word
    }
  }
  return null;
}

export interface TDealState {
  status: 'open' | 'won' | 'lost';
  /** Open stage key, or won / lost. */
  stage: string;
  maxStageIndex: number;
  closedAt: Date | null;
}

/**
 * A CRM deal's status, stage and furthest stage on the workspace funnel. The CRM's own status wins
 * over the stage (a won deal is won wherever its stage maps); an open deal in a stage mapped to won
 * or lost takes that status. `maxStageIndex` never drops below what the stored deal reached
 * (`previousMax`, open stages only), nor below the furthest stage of the history.
 *
 * @example
 * mapDealState({ status: 'open', stageId: 's2', stageHistory: null, … }, new Map([['s2', 'demo']]), ['lead', 'demo'], null)
 * // { status: 'open', stage: 'demo', maxStageIndex: 1, closedAt: null }
 */
export function mapDealState(
  deal: Pick<TCrmDeal, 'status' | 'stageId' | 'stageHistory' | 'closedAt' | 'modifiedAt'>,
  targets: ReadonlyMap<string, TStageTarget>,
  funnel: readonly string[],
  previousMax: number | null,
): TDealState {
  const mapped = deal.stageId === null ? undefined : targets.get(deal.stageId);
  const status: TDealState['status'] = deal.status !== 'open' ? deal.status : mapped === 'won' || mapped === 'lost' ? mapped : 'open';
  const openStage = mapped !== undefined && mapped !== 'won' && mapped !== 'lost' && funnel.includes(mapped) ? mapped : (funnel[0] ?? 'lead');
  const stage = status === 'open' ? openStage : status;
  // A lost deal still in an open stage (Pipedrive keeps the stage a deal was lost in) reached it.
  let reached = status === 'open' ? funnel.indexOf(openStage) : mapped !== undefined && funnel.includes(mapped) ? funnel.indexOf(mapped) : 0;
  for (const entry of deal.stageHistory ?? []) {
    const t = targets.get(entry.stageId);
    if (t !== undefined) reached = Math.max(reached, funnel.indexOf(t));
  }
  if (previousMax !== null) reached = Math.max(reached, Math.min(previousMax, funnel.length - 1));
  const maxStageIndex = status === 'won' ? funnel.length : Math.max(0, reached);
  const closedAt = status === 'open' ? null : (deal.closedAt ?? deal.modifiedAt);
  return { status, stage, maxStageIndex, closedAt };
}

export interface TStageMove {
  fromStage: string | null;
  toStage: string;
  changedAt: Date;
}

/**
 * The funnel history of a CRM deal from its stage history: each entry mapped onto the funnel,
 * repeats of the same funnel stage dropped, ending with the deal's current stage (at its close date
 * when it closed after the last entry).
 *
 * @example
 * stageMoves([{ stageId: 'a', enteredAt: t1 }, { stageId: 'b', enteredAt: t2 }], map, { stage: 'won', closedAt: t3 })
 * // [{ null → 'lead', t1 }, { 'lead' → 'demo', t2 }, { 'demo' → 'won', t3 }]
 */
export function stageMoves(history: readonly TCrmStageEntry[], targets: ReadonlyMap<string, TStageTarget>, current: { stage: string; closedAt: Date | null; createdAt: Date }): TStageMove[] {
  const moves: TStageMove[] = [];
  let last: string | null = null;
  const sorted = [...history].sort((a, b) => a.enteredAt.getTime() - b.enteredAt.getTime());
  for (const entry of sorted) {
    const to = targets.get(entry.stageId);
    if (to === undefined || to === last) continue;
    moves.push({ fromStage: last, toStage: to, changedAt: entry.enteredAt });
    last = to;
  }
  if (last !== current.stage) {
    const lastAt = moves.at(-1)?.changedAt ?? current.createdAt;
    const at = current.closedAt && current.closedAt.getTime() >= lastAt.getTime() ? current.closedAt : lastAt;
    moves.push({ fromStage: last, toStage: current.stage, changedAt: at });
  }
  return moves;
}

/** A deal logged in Slack, as the adoption match sees it. */
export interface TLocalDeal {
  id: number;
  customerKey: string;
  amountMinor: bigint;
  currency: string;
  status: string;
  closedAt: Date | null;
}

/**
 * Whether a deal logged in Slack is this CRM deal: same customer key, same amount and currency,
 * and the same close day in the workspace's time zone (both open counts as agreeing).
 *
 * @example
 * isSameDeal(local, { customerKey: 'acme', amountMinor: 1200000n, currency: 'USD', closedAt: d }, 'Europe/Berlin') // true
 */
export function isSameDeal(local: TLocalDeal, crm: { customerKey: string; amountMinor: bigint; currency: string; closedAt: Date | null }, timeZone: string): boolean {
  if (local.customerKey !== crm.customerKey || local.amountMinor !== crm.amountMinor || local.currency !== crm.currency) return false;
  if (local.closedAt === null || crm.closedAt === null) return local.closedAt === null && crm.closedAt === null;
  return localDay(local.closedAt, timeZone) === localDay(crm.closedAt, timeZone);
}

function localDay(d: Date, timeZone: string): string {
  const p = localParts(d, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Health of a connection. */
export type TCrmStatus = 'active' | 'failing' | 'revoked' | 'disconnected';

export const BACKOFF_BASE_MS = 60_000;
export const BACKOFF_CAP_MS = 60 * 60_000;

/**
 * How long to wait before the next attempt after `failures` failed runs in a row: one minute,
 * doubling with each failure, capped at an hour; never sooner than the vendor's Retry-After.
 *
 * @example
 * retryDelayMs(1, null); // 60000
 * retryDelayMs(3, null); // 240000
 * retryDelayMs(20, null); // 3600000
 * retryDelayMs(1, 600); // 600000
 */
export function retryDelayMs(failures: number, retryAfterSeconds: number | null): number {
  const backoff = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(30, failures - 1)));
  return Math.max(backoff, (retryAfterSeconds ?? 0) * 1000);
}

/**
 * Whether an admin should be told about a failure now: once when a connection starts failing (or
 * is revoked), again only when it moves from failing to revoked; never on every tick.
 *
 * @example
 * shouldNotifyAdmin({ status: 'active', errorNotifiedAt: null }, 'failing'); // true
 * shouldNotifyAdmin({ status: 'failing', errorNotifiedAt: new Date() }, 'failing'); // false
 * shouldNotifyAdmin({ status: 'failing', errorNotifiedAt: new Date() }, 'revoked'); // true
 */
export function shouldNotifyAdmin(previous: { status: string; errorNotifiedAt: Date | null }, next: TCrmStatus): boolean {
  if (next !== 'failing' && next !== 'revoked') return false;
  return previous.errorNotifiedAt === null || previous.status !== next;
}

/** Longest `lastError` stored. */
export const MAX_ERROR_CHARS = 500;

const CRM_SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/(bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]'],
  [/((?:api_token|access_token|refresh_token|client_secret|token|password|authorization)["']?\s*[=:]\s*["']?)[^\s"'&,;]+/gi, '$1[redacted]'],
  [/pat-[a-z]{2,4}\d?-[A-Za-z0-9-]+/g, '[redacted]'],
  [/00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]+/g, '[redacted]'],
];

/**
 * Text of an error that is safe to store and show to an admin: the given secrets (the
 * connection's credential values) and anything shaped like a token removed, cut to 500 characters.
 *
 * @example
 * safeErrorText(new Error('401 for token abc123secret'), ['abc123secret']); // '401 for token [redacted]'
 */
export function safeErrorText(error: unknown, secrets: readonly string[]): string {
  const raw = error instanceof Error ? error.message : String(error);
  let text = redactSecrets(raw, secrets);
  for (const [re, by] of CRM_SECRET_PATTERNS) text = text.replace(re, by);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}
