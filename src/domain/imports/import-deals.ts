import { performance } from 'node:perf_hooks';
import { isValidTimeZone } from '../../config.js';
import { AppError } from '../../errors.js';
import { bumpHistoryVersion } from '../../storage/queries/history-version.js';
import { dealsByExternalIds, importLookups, insertImportAudit, setRepTeam, workspaceForImport } from '../../storage/queries/import-writes.js';
import { workspaceOfSlackTeam } from '../../storage/queries/workspaces.js';
import { insertDealsBatch, insertRows, updateDealsBatch, withTransaction, type SqlRunner, type TDealRow } from '../../storage/bulk-insert.js';
import { toBigInt, toNullableDate, toNumber, type Db, type Tx } from '../../storage/db.js';
import { customerKey } from '../../shared/customer-key.js';
import { funnelStages } from '../deals/stages.js';
import { convertMinor, exceedsReportingCap, formatMoney, isKnownCurrency, MAX_REPORTING_MINOR, rateCommandExample } from '../money.js';
import { groupIssues } from './fields.js';
import { applyRefunds, planRefunds, type TRefundPlan } from './import-refunds.js';
import { dealIdsByExternalId, importedChangeId, importedMrrChanges, setSubscriptionEnds, writeImportedMrrChanges, type TImportedMrrChange } from '../../storage/queries/subscription-imports.js';
import type { TCsvRow, TDealDraft, TImportMapping, TImportReport, TMappedRows, TMappingContext, TRowIssue } from './types.js';

/** Slack team id of the demo workspace (`npm run demo`, and the import CLI's default). */
export const DEMO_TEAM_ID = 'TDEMO';
export const DEMO_WORKSPACE = { name: 'Demo workspace (Maven CRM)', currency: 'USD', timeZone: 'UTC' } as const;

export interface TWorkspaceDefaults {
  name?: string;
  currency?: string;
  timeZone?: string;
}

export interface ImportDealsOptions {
  db: Db;
  /** Slack team id of the workspace to import into; created if missing (see `workspaceDefaults`). */
  workspaceTeamId: string;
  rows: readonly TCsvRow[];
  mapping: TImportMapping;
  /** Header of the file; default: the keys of the first row. */
  columns?: readonly string[];
  /** File name for the report and messages. */
  file?: string;
  /** Validate and count what would happen, write nothing. */
  dryRun?: boolean;
  /** Import the valid rows and report the invalid ones, instead of refusing the whole file. */
  skipInvalid?: boolean;
  now?: Date;
  /** Settings of a workspace this import creates. Default: the demo settings for TDEMO, else USD and UTC. */
  workspaceDefaults?: TWorkspaceDefaults;
  /** Problems found while reading the file (records with a wrong field count), counted as rows read. */
  readIssues?: readonly TRowIssue[];
}

interface TExistingDeal {
  id: number;
  externalId: string;
  ownerId: number;
  customer: string;
  /** As stored: a key the migration backfilled approximately differs from `customerKey(customer)`. */
  customerKey: string;
  amountMinor: bigint;
  currency: string;
  amountReportingMinor: bigint;
  type: string;
  stage: string;
  maxStageIndex: number;
  status: string;
  discountMinor: bigint | null;
  discountReportingMinor: bigint | null;
  lostReason: string | null;
  recurringMonthlyMinor: bigint | null;
  recurringReportingMinor: bigint | null;
  subscriptionStart: Date | null;
  subscriptionEnd: Date | null;
  notes: string | null;
  createdAt: Date;
  closedAt: Date | null;
  source: string;
}

interface TRepRow {
  id: number;
  importKey: string | null;
  slackUserId: string | null;
  name: string;
  teamId: number | null;
}

interface TPlannedDeal {
  line: number;
  draft: TDealDraft;
  /** Owner by import key (reps to create have no id yet). */
  ownerKey: string;
  amountReportingMinor: bigint;
  discountReportingMinor: bigint | null;
  recurringReportingMinor: bigint | null;
  /** `draft.mrrChanges` in the reporting currency, same order. */
  mrrChangesReportingMinor: bigint[] | null;
}

interface TPlan {
  teamsToCreate: string[];
  teamIds: Map<string, number>;
  repsToCreate: Array<{ importKey: string; name: string; team: string | null }>;
  /** Resolved rep id per owner import key (existing reps). */
  repIds: Map<string, number>;
  /** Existing reps to put on a team: rep id → team name. */
  repMoves: Map<number, string>;
  inserts: TPlannedDeal[];
  updates: Array<TPlannedDeal & { existing: TExistingDeal }>;
  unchanged: number;
  issues: TRowIssue[];
  /** Imported MRR changes stored for the existing deals of the file, by deal id. */
  storedMrrChanges: Map<number, TImportedMrrChange[]>;
}

const IN_CHUNK = 500;

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const big = (v: unknown): bigint | null => (v === null || v === undefined ? null : toBigInt(v));

async function loadExistingDeals(run: SqlRunner, workspaceId: number, externalIds: readonly string[]): Promise<Map<string, TExistingDeal>> {
  const out = new Map<string, TExistingDeal>();
  for (let i = 0; i < externalIds.length; i += IN_CHUNK) {
    const chunk = externalIds.slice(i, i + IN_CHUNK);
    const rows = await dealsByExternalIds(run, workspaceId, chunk);
    for (const r of rows) {
      const externalId = String(r['externalId']);
      out.set(externalId, {
        id: toNumber(r['id']),
        externalId,
        ownerId: toNumber(r['ownerId']),
        customer: String(r['customer']),
        customerKey: String(r['customerKey']),
        amountMinor: toBigInt(r['amountMinor']),
        currency: String(r['currency']),
        amountReportingMinor: toBigInt(r['amountReportingMinor']),
        type: String(r['type']),
        stage: String(r['stage']),
        maxStageIndex: toNumber(r['maxStageIndex']),
        status: String(r['status']),
        discountMinor: big(r['discountMinor']),
        discountReportingMinor: big(r['discountReportingMinor']),
        lostReason: str(r['lostReason']),
        recurringMonthlyMinor: big(r['recurringMonthlyMinor']),
        recurringReportingMinor: big(r['recurringReportingMinor']),
        subscriptionStart: toNullableDate(r['subscriptionStart']),
        subscriptionEnd: toNullableDate(r['subscriptionEnd']),
        notes: str(r['notes']),
        createdAt: toNullableDate(r['createdAt']) ?? new Date(0),
        closedAt: toNullableDate(r['closedAt']),
        source: String(r['source']),
      });
    }
  }
  return out;
}

/** The stored form of a planned deal (owner id resolved). */
function dealRowOf(p: TPlannedDeal, ownerId: number, createdAt: Date, now: Date, maxStageIndex = p.draft.maxStageIndex): TDealRow {
  const d = p.draft;
  return {
    ownerId,
    customer: d.customer,
    amountMinor: d.amountMinor,
    currency: d.currency,
    amountReportingMinor: p.amountReportingMinor,
    type: d.type,
    stage: d.stage,
    maxStageIndex,
    status: d.status,
    discountMinor: d.discountMinor,
    discountReportingMinor: p.discountReportingMinor,
    lostReason: d.lostReason,
    recurringMonthlyMinor: d.recurringMonthlyMinor,
    recurringReportingMinor: p.recurringReportingMinor,
    subscriptionStart: d.recurringMonthlyMinor !== null && d.status === 'won' ? (d.subscriptionStart ?? d.closedAt) : null,
    // Written for new deals; for stored ones only when the file gives it (see applyPlan).
    subscriptionEnd: d.subscriptionEnd ?? null,
    notes: d.notes,
    createdAt,
    closedAt: d.closedAt,
    updatedAt: now,
    source: d.source ?? 'import',
    externalId: d.externalId,
  };
}

/**
 * The furthest stage of an updated deal: `maxStageIndex` means "furthest stage ever reached", so a
 * re-import never lowers it below what the stored deal reached (e.g. moved to demo in Slack, still
 * "Engaging" in the CRM export) — except that a stored *won* index is not kept for a deal the file
 * says is not won.
 */
function mergedMaxStage(draft: TDealDraft, existing: TExistingDeal, openStages: number): number {
  if (draft.status === 'won') return draft.maxStageIndex;
  return Math.max(draft.maxStageIndex, Math.min(existing.maxStageIndex, openStages - 1));
}

/** The stored form of an update: stored funnel-entry date kept when the row's is a fallback. */
function updatedRowOf(u: TPlannedDeal & { existing: TExistingDeal }, ownerId: number, now: Date, openStages: number): TDealRow {
  return dealRowOf(u, ownerId, u.draft.createdAtIsFallback ? u.existing.createdAt : u.draft.createdAt, now, mergedMaxStage(u.draft, u.existing, openStages));
}

const sameDate = (a: Date | null | undefined, b: Date | null | undefined): boolean => (a ?? null)?.getTime() === (b ?? null)?.getTime();

/**
 * Fields an import writes; a stored deal equal on all of them is unchanged. A stale customer key
 * (an approximate backfill) counts as a difference, so re-importing stores the exact one.
 */
function differs(row: TDealRow, e: TExistingDeal): boolean {
  return (
    row.ownerId !== e.ownerId ||
    row.customer !== e.customer ||
    customerKey(row.customer) !== e.customerKey ||
    row.amountMinor !== e.amountMinor ||
    row.currency !== e.currency ||
    row.amountReportingMinor !== e.amountReportingMinor ||
    row.type !== e.type ||
    row.stage !== e.stage ||
    row.maxStageIndex !== e.maxStageIndex ||
    row.status !== e.status ||
    (row.discountMinor ?? null) !== e.discountMinor ||
    (row.discountReportingMinor ?? null) !== e.discountReportingMinor ||
    (row.lostReason ?? null) !== e.lostReason ||
    (row.recurringMonthlyMinor ?? null) !== e.recurringMonthlyMinor ||
    (row.recurringReportingMinor ?? null) !== e.recurringReportingMinor ||
    !sameDate(row.subscriptionStart, e.subscriptionStart) ||
    (row.subscriptionEnd !== null && row.subscriptionEnd !== undefined && !sameDate(row.subscriptionEnd, e.subscriptionEnd)) ||
    (row.notes ?? null) !== e.notes ||
    !sameDate(row.createdAt, e.createdAt) ||
    !sameDate(row.closedAt, e.closedAt)
  );
}

/**
 * Works out what the import would do against the current database state, read-only: which teams
 * and reps to create, which deals are new, changed or unchanged, and which rows cannot be
 * resolved (unknown Slack user, no conversion rate).
 */
async function buildPlan(
  run: SqlRunner,
  workspaceId: number | null,
  reportingCurrency: string,
  openStages: number,
  mapped: TMappedRows,
  file: string,
  now: Date,
): Promise<TPlan> {
  const issues: TRowIssue[] = [];
  const teamIds = new Map<string, number>();
  const reps: TRepRow[] = [];
  const rates = new Map<string, number>();
  if (workspaceId !== null) {
    const stored = await importLookups(run, workspaceId);
    for (const t of stored.teams) teamIds.set(String(t['name']), toNumber(t['id']));
    for (const r of stored.reps) {
      reps.push({ id: toNumber(r['id']), importKey: str(r['importKey']), slackUserId: str(r['slackUserId']), name: String(r['name']), teamId: r['teamId'] === null || r['teamId'] === undefined ? null : toNumber(r['teamId']) });
    }
    for (const r of stored.rates) rates.set(String(r['fromCurrency']), toNumber(r['rate']));
  }
  const teamsToCreate = mapped.teams.filter((t) => !teamIds.has(t));

  // Owners: Slack user id, then import key, then (generic files) a unique name; else a new rep.
  const byKey = new Map(reps.filter((r) => r.importKey !== null).map((r) => [r.importKey as string, r]));
  const bySlack = new Map(reps.filter((r) => r.slackUserId !== null).map((r) => [r.slackUserId as string, r]));
  const byName = new Map<string, TRepRow[]>();
  for (const r of reps) byName.set(r.name.toLowerCase(), [...(byName.get(r.name.toLowerCase()) ?? []), r]);
  const repIds = new Map<string, number>();
  const repsToCreate = new Map<string, { importKey: string; name: string; team: string | null }>();
  const teamByKey = new Map(mapped.roster.map((e) => [e.owner.importKey, e.team]));
  const unknownSlack = new Set<string>();
  const resolveOwner = (o: TDealDraft['owner']): boolean => {
    if (repIds.has(o.importKey) || repsToCreate.has(o.importKey)) return true;
    if (unknownSlack.has(o.importKey)) return false;
    if (o.slackUserId !== null) {
      const r = bySlack.get(o.slackUserId);
      if (!r) {
        unknownSlack.add(o.importKey);
        return false;
      }
      repIds.set(o.importKey, r.id);
      return true;
    }
    const keyed = byKey.get(o.importKey);
    const named = o.matchByName ? byName.get(o.name.toLowerCase()) : undefined;
    const found = keyed ?? (named?.length === 1 ? named[0] : undefined);
    if (found) repIds.set(o.importKey, found.id);
    else repsToCreate.set(o.importKey, { importKey: o.importKey, name: o.name, team: teamByKey.get(o.importKey) ?? null });
    return true;
  };

  const valid: TPlannedDeal[] = [];
  for (const { line, draft } of mapped.deals) {
    if (!resolveOwner(draft.owner)) {
      issues.push({ file, line, field: 'owner', kind: 'unknown Slack user', message: `owner ${draft.owner.slackUserId ?? draft.owner.name} is not a member of this workspace yet (they appear once they use the app)` });
      continue;
    }
    const convert = (minor: bigint | null): bigint | null => {
      if (minor === null) return null;
      const rate = draft.currency === reportingCurrency ? 1 : rates.get(draft.currency);
      if (rate === undefined) throw new AppError('NO_RATE', `no conversion rate from ${draft.currency} to ${reportingCurrency}`);
      const converted = draft.currency === reportingCurrency ? minor : convertMinor(minor, draft.currency, reportingCurrency, rate);
      // Same cap as every other path, so no sum over imported deals can overflow.
      if (exceedsReportingCap(converted)) throw new AppError('INVALID_AMOUNT', 'too large');
      return converted;
    };
    try {
      valid.push({
        line,
        draft,
        ownerKey: draft.owner.importKey,
        amountReportingMinor: convert(draft.amountMinor) ?? 0n,
        discountReportingMinor: convert(draft.discountMinor),
        recurringReportingMinor: convert(draft.recurringMonthlyMinor),
        mrrChangesReportingMinor: draft.mrrChanges ? draft.mrrChanges.map((c) => convert(c.monthlyMinor) ?? 0n) : null,
      });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      if (e.code === 'INVALID_AMOUNT') {
        issues.push({ file, line, field: 'amount', kind: 'too large', message: `amount is worth more than ${formatMoney(MAX_REPORTING_MINOR, reportingCurrency)} in ${reportingCurrency}, the largest single amount the app records` });
        continue;
      }
      issues.push({
        file,
        line,
        field: 'currency',
        kind: 'no conversion rate',
        message: `${draft.currency} amount, but the workspace reports in ${reportingCurrency} and has no ${draft.currency} rate (an admin sets one with ${rateCommandExample(draft.currency, reportingCurrency)}, with the real rate)`,
      });
    }
  }

  // Roster: existing reps whose team differs; reps to create take their team on creation.
  const repMoves = new Map<number, string>();
  for (const entry of mapped.roster) {
    const id = repIds.get(entry.owner.importKey);
    if (id === undefined) continue;
    const current = reps.find((r) => r.id === id);
    const teamId = teamIds.get(entry.team);
    if (current && (teamId === undefined || current.teamId !== teamId)) repMoves.set(id, entry.team);
  }

  const existing = workspaceId === null ? new Map<string, TExistingDeal>() : await loadExistingDeals(run, workspaceId, valid.map((p) => p.draft.externalId));
  const storedMrrChanges = new Map<number, TImportedMrrChange[]>();
  const withChanges = valid.filter((p) => p.draft.mrrChanges !== undefined).flatMap((p) => existing.get(p.draft.externalId)?.id ?? []);
  for (const c of await importedMrrChanges(run, withChanges)) storedMrrChanges.set(c.dealId, [...(storedMrrChanges.get(c.dealId) ?? []), c]);
  const inserts: TPlannedDeal[] = [];
  const updates: TPlan['updates'] = [];
  let unchanged = 0;
  for (const p of valid) {
    const e = existing.get(p.draft.externalId);
    if (!e) {
      inserts.push(p);
      continue;
    }
    // Ids are only unique per source: never let one system's record overwrite another's deal.
    if (e.source !== (p.draft.source ?? 'import')) {
      issues.push({ file, line: p.line, field: 'external_id', kind: 'id of another source', message: `id ${p.draft.externalId} belongs to a deal that came from ${e.source}, not ${p.draft.source ?? 'a CSV import'}` });
      continue;
    }
    const ownerId = repIds.get(p.ownerKey);
    const update = { ...p, existing: e };
    if (ownerId === undefined || differs(updatedRowOf(update, ownerId, now, openStages), e) || !isEmptyDiff(mrrChangeDiff(p, e.id, storedMrrChanges.get(e.id) ?? []))) updates.push(update);
    else unchanged++;
  }
  return { teamsToCreate, teamIds, repsToCreate: [...repsToCreate.values()], repIds, repMoves, inserts, updates, unchanged, issues, storedMrrChanges };
}

type TMrrDiff = Parameters<typeof writeImportedMrrChanges>[2];

const isEmptyDiff = (d: TMrrDiff): boolean => d.inserts.length === 0 && d.updates.length === 0 && d.deletes.length === 0;

/**
 * What makes a deal's stored imported MRR changes match its row's `mrr_changes` (nothing when the
 * file has no such column): the file is the source of truth for the changes it imported, while
 * changes made in Slack (`/deal mrr`, renewals) have no external id and are never touched.
 */
function mrrChangeDiff(p: TPlannedDeal, dealId: number, stored: readonly TImportedMrrChange[]): TMrrDiff {
  const desired = p.draft.mrrChanges;
  if (desired === undefined) return { inserts: [], updates: [], deletes: [] };
  const mine = stored.filter((c) => c.externalId.startsWith(`${p.draft.externalId}#mrr:`));
  const byId = new Map(mine.map((c) => [c.externalId, c]));
  const wanted = new Set<string>();
  const inserts: TMrrDiff['inserts'][number][] = [];
  const updates: TMrrDiff['updates'][number][] = [];
  desired.forEach((c, i) => {
    const externalId = importedChangeId(p.draft.externalId, c.effectiveAt);
    wanted.add(externalId);
    const row = { dealId, externalId, effectiveAt: c.effectiveAt, monthlyMinor: c.monthlyMinor, currency: p.draft.currency, monthlyReportingMinor: p.mrrChangesReportingMinor?.[i] ?? 0n };
    const old = byId.get(externalId);
    if (!old) inserts.push(row);
    else if (old.monthlyMinor !== row.monthlyMinor || old.currency !== row.currency || old.monthlyReportingMinor !== row.monthlyReportingMinor || old.dealId !== dealId) updates.push({ ...row, id: old.id });
  });
  return { inserts, updates, deletes: mine.filter((c) => !wanted.has(c.externalId)).map((c) => c.id) };
}

/** Writes a plan inside the caller's transaction. */
async function applyPlan(run: SqlRunner, workspaceId: number, plan: TPlan, openStages: number, now: Date): Promise<void> {
  const teams = await insertRows<string, { id: unknown; name: unknown }>(run, 'SalesTeam', ['workspaceId', 'name', 'createdAt'], plan.teamsToCreate, (name) => [workspaceId, name, now], {
    returning: '"id", "name"',
  });
  for (const t of teams) plan.teamIds.set(String(t.name), toNumber(t.id));

  const created = await insertRows<TPlan['repsToCreate'][number], { id: unknown; importKey: unknown }>(
    run,
    'Rep',
    ['workspaceId', 'importKey', 'name', 'role', 'teamId', 'createdAt', 'updatedAt'],
    plan.repsToCreate,
    (r) => [workspaceId, r.importKey, r.name, 'rep', r.team === null ? null : (plan.teamIds.get(r.team) ?? null), now, now],
    { returning: '"id", "importKey"' },
  );
  for (const r of created) plan.repIds.set(String(r.importKey), toNumber(r.id));
  for (const [repId, team] of plan.repMoves) {
    await setRepTeam(run, repId, plan.teamIds.get(team) ?? null, now);
  }

  const ownerOf = (p: TPlannedDeal): number => {
    const id = plan.repIds.get(p.ownerKey);
    if (id === undefined) throw new Error(`import: no rep for ${p.ownerKey}`);
    return id;
  };
  await insertDealsBatch(
    run,
    workspaceId,
    plan.inserts.map((p) => dealRowOf(p, ownerOf(p), p.draft.createdAt, now)),
    { now },
  );

  const moves: Array<{ dealId: number; from: string; to: string; at: Date }> = [];
  const updated = plan.updates.map((u) => {
    const row = updatedRowOf(u, ownerOf(u), now, openStages);
    if (row.stage !== u.existing.stage) moves.push({ dealId: u.existing.id, from: u.existing.stage, to: row.stage, at: row.closedAt ?? now });
    return { ...row, id: u.existing.id };
  });
  await updateDealsBatch(run, updated, now);
  // Subscription ends the file gives (an empty cell keeps an end recorded with /deal churn).
  await setSubscriptionEnds(
    run,
    plan.updates.flatMap((u) => (u.draft.subscriptionEnd && !sameDate(u.draft.subscriptionEnd, u.existing.subscriptionEnd) ? [{ dealId: u.existing.id, end: u.draft.subscriptionEnd }] : [])),
    now,
  );
  // MRR changes of the file's subscriptions.
  const newWithChanges = plan.inserts.filter((p) => p.draft.mrrChanges && p.draft.mrrChanges.length > 0);
  const newIds = await dealIdsByExternalId(run, workspaceId, newWithChanges.map((p) => p.draft.externalId));
  const diffs = [
    ...newWithChanges.map((p) => mrrChangeDiff(p, newIds.get(p.draft.externalId) ?? -1, [])),
    ...plan.updates.map((u) => mrrChangeDiff(u, u.existing.id, plan.storedMrrChanges.get(u.existing.id) ?? [])),
  ];
  await writeImportedMrrChanges(run, workspaceId, { inserts: diffs.flatMap((d) => d.inserts), updates: diffs.flatMap((d) => d.updates), deletes: diffs.flatMap((d) => d.deletes) }, now);
  await insertRows(run, 'DealStageChange', ['workspaceId', 'dealId', 'fromStage', 'toStage', 'changedAt', 'changedById'], moves, (m) => [workspaceId, m.dealId, m.from, m.to, m.at, null]);
}

function sortIssues(issues: readonly TRowIssue[]): TRowIssue[] {
  return [...issues].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

function settingsFor(teamId: string, given: TWorkspaceDefaults | undefined): Required<TWorkspaceDefaults> {
  const base = teamId === DEMO_TEAM_ID ? DEMO_WORKSPACE : { name: '', currency: 'USD', timeZone: 'UTC' };
  const s = { name: given?.name ?? base.name, currency: (given?.currency ?? base.currency).toUpperCase(), timeZone: given?.timeZone ?? base.timeZone };
  if (!isKnownCurrency(s.currency)) throw new AppError('UNKNOWN_CURRENCY', `${s.currency} is not a currency code I know.`, { i18n: { key: 'error.money.unknownCurrency', values: { code: s.currency } } });
  if (!isValidTimeZone(s.timeZone)) throw new AppError('INVALID_INPUT', `"${s.timeZone}" is not an IANA time zone.`, { i18n: { key: 'error.time.zone', values: { zone: s.timeZone } } });
  return s;
}

/**
 * Imports deals from CSV rows into the workspace with that Slack team id (created when missing).
 *
 * - Every row is checked first. Invalid rows (with line and reason) refuse the whole file —
 *   nothing is written, not even the workspace — unless `skipInvalid`, which imports the valid
 *   rows and reports the others. Whole-file problems (missing columns) always refuse.
 * - Idempotent on external ids: a row whose external id is stored with the same data is
 *   `unchanged`; with different data the deal is updated in place (the file is the source of
 *   truth for the fields it carries) and counted `updated`, with a stage change when its stage
 *   moved. Never a duplicate. Two exceptions keep stored facts: a fallback funnel-entry date
 *   never overwrites a stored one, and `maxStageIndex` (furthest stage ever reached) is never
 *   lowered for a deal that is not won.
 * - One transaction per file: teams, then reps (created by name with an import key until linked
 *   to a Slack user), then deals in multi-row INSERTs of 500, one DealStageChange per new deal
 *   (its current stage), and one AuditEntry for the whole import (entity 'import', action
 *   'create', entityId 0, `after` = the summary). A run that changes nothing writes nothing,
 *   not even the audit entry.
 * - `dryRun` does all of the above but the writes, and reports what would happen.
 *
 * @example
 * const table = parseCsv(readFileSync('sales_pipeline.csv'), 'sales_pipeline.csv');
 * const report = await importDeals({ db, workspaceTeamId: 'TDEMO', rows: table.rows, columns: table.columns, mapping: mavenCrmMapping() });
 * report.imported // 8800
 */
export async function importDeals(opts: ImportDealsOptions): Promise<TImportReport> {
  const started = performance.now();
  const { db, workspaceTeamId, rows, mapping } = opts;
  const now = opts.now ?? new Date();
  const file = opts.file ?? 'input';
  const dryRun = opts.dryRun ?? false;
  const columns = opts.columns ?? Object.keys(rows[0]?.values ?? {});
  if (!workspaceTeamId.trim()) throw new AppError('INVALID_INPUT', 'A Slack team id is needed to import into a workspace.', { i18n: { key: 'error.import.noTeam' } });

  const found = await workspaceOfSlackTeam(db, workspaceTeamId);
  const settings = found ? { name: found.name, currency: found.currency, timeZone: found.timeZone } : settingsFor(workspaceTeamId, opts.workspaceDefaults);
  const stages = funnelStages(found?.funnelStages ?? 'lead,contacted,demo,proposal');
  const ctx: TMappingContext = { file, columns, stages, timeZone: settings.timeZone, currency: settings.currency, now };
  const mapped = mapping.map(rows, ctx);
  const readIssues = opts.readIssues ?? [];

  const plan0 = await buildPlan(db, found?.id ?? null, settings.currency, stages.length, mapped, file, now);
  // Refund rows (generic mapping, record_type=refund) name won deals of this file or stored ones.
  // A deal row that will not be written (skipped as invalid) is no deal to refund.
  const refundsOf = (run: SqlRunner, workspaceId: number | null, reportingCurrency: string, dealPlan: TPlan): Promise<TRefundPlan> => {
    const unwritten = new Set(dealPlan.issues.filter((i) => i.file === file).map((i) => i.line));
    const fileDeals = mapped.deals.filter((d) => !unwritten.has(d.line));
    return planRefunds(run, { workspaceId, reportingCurrency, refunds: mapped.refunds ?? [], fileDeals, file });
  };
  const refundPlan0 = await refundsOf(db, found?.id ?? null, settings.currency, plan0);
  const issues = sortIssues([...readIssues, ...mapped.issues, ...plan0.issues, ...refundPlan0.issues]);
  const badLines = new Set(issues.filter((i) => i.file === file).map((i) => i.line));
  const readLines = new Set(readIssues.filter((i) => i.file === file).map((i) => i.line));
  const refused = mapped.fileErrors.length > 0 || (issues.length > 0 && !(opts.skipInvalid ?? false));

  const report = (plan: TPlan | null, workspaceId: number | null, refundPlan: TRefundPlan | null = plan ? refundPlan0 : null): TImportReport => ({
    file,
    mapping: mapping.name,
    dryRun,
    refused,
    workspace: { slackTeamId: workspaceTeamId, id: workspaceId, name: settings.name, created: found === null },
    rowsRead: rows.length + readLines.size,
    imported: plan?.inserts.length ?? 0,
    updated: plan?.updates.length ?? 0,
    unchanged: plan?.unchanged ?? 0,
    refunds: { imported: refundPlan?.inserts.length ?? 0, updated: refundPlan?.updates.length ?? 0, unchanged: refundPlan?.unchanged ?? 0 },
    skipped: badLines.size,
    skippedReasons: groupIssues(issues),
    issues,
    fileErrors: mapped.fileErrors,
    repsCreated: plan?.repsToCreate.length ?? 0,
    repNamesCreated: plan?.repsToCreate.map((r) => r.name) ?? [],
    teamsCreated: plan?.teamsToCreate.length ?? 0,
    repsAssignedToTeams: plan ? plan.repsToCreate.filter((r) => r.team !== null).length + plan.repMoves.size : 0,
    notes: mapped.notes,
    warnings: mapped.warnings,
    elapsedMs: Math.round(performance.now() - started),
  });

  if (refused) return report(null, found?.id ?? null);
  if (dryRun) return report(plan0, found?.id ?? null);
  const changes = (p: TPlan, r: TRefundPlan): number => p.inserts.length + p.updates.length + p.repsToCreate.length + p.teamsToCreate.length + p.repMoves.size + r.inserts.length + r.updates.length;
  if (found && changes(plan0, refundPlan0) === 0) return report(plan0, found.id);

  return withTransaction(db, async (run: SqlRunner, tx: Tx) => {
    const ws = await workspaceForImport(tx, workspaceTeamId, settings, now);
    // Plan again inside the transaction, so a concurrent change between validation and writing
    // is seen (and a row that became unresolvable stops the import instead of being dropped).
    const plan = await buildPlan(run, ws.id, ws.currency, stages.length, mapped, file, now);
    if (plan.issues.length > plan0.issues.length) {
      throw new AppError('CONFLICT', `The workspace changed while ${file} was being imported; nothing was written. Run the import again.`, { i18n: { key: 'error.import.conflict', values: { file } } });
    }
    await applyPlan(run, ws.id, plan, stages.length, now);
    const refundPlan = await refundsOf(run, ws.id, ws.currency, plan);
    if (refundPlan.issues.length > refundPlan0.issues.length) {
      throw new AppError('CONFLICT', `The workspace changed while ${file} was being imported; nothing was written. Run the import again.`, { i18n: { key: 'error.import.conflict', values: { file } } });
    }
    await applyRefunds(run, ws.id, refundPlan);
    // Imported rows carry their own (mostly past) dates: cached closed periods are stale now.
    const changed = changes(plan, refundPlan);
    if (changed > 0) await bumpHistoryVersion(tx, ws.id);
    const result = report(plan, ws.id, refundPlan);
    if (changed > 0) {
      const summary = {
        file,
        mapping: mapping.name,
        rowsRead: result.rowsRead,
        imported: result.imported,
        updated: result.updated,
        unchanged: result.unchanged,
        refunds: result.refunds,
        skipped: result.skipped,
        repsCreated: result.repsCreated,
        teamsCreated: result.teamsCreated,
        repsAssignedToTeams: result.repsAssignedToTeams,
        updatedExternalIds: plan.updates.slice(0, 100).map((u) => u.draft.externalId),
        skippedLines: [...badLines].slice(0, 100),
      };
      await insertImportAudit(run, ws.id, summary, now);
    }
    return { ...result, elapsedMs: Math.round(performance.now() - started) };
  });
}
