import { isValidTimeZone } from '../../config.js';
import { AppError } from '../../errors.js';
import type { Rep, Workspace } from '../../storage/models.js';
import { inTransaction, type Db } from '../../storage/db.js';
import { adminCount, amountsHeld, updateRep, updateWorkspaceSettingsRow, upsertCurrencyRate } from '../../storage/queries/members.js';
import { currencyRateOf } from '../../storage/queries/lookups.js';
import { writeAudit } from '../deals/write-audit.js';
import { oncePerRequest } from '../once-per-request.js';
import { isKnownCurrency, rateCommandExample, rateProblem, rateProblemI18n } from '../money.js';
import { roleOf, type TRole } from './ensure-member.js';
import { toLocale } from '../../i18n/locales.js';
import { updateRepLanguage } from '../../storage/queries/members.js';

/**
 * A person's own language for their private answers (`/kpi settings my-language vi`); `auto`
 * clears it, so their Slack locale (or the workspace's language) applies. Anyone may set their own.
 *
 * @example await setMyLanguage({ db, actor, language: 'zh-CN', now, requestKey: 'cmd:1' })
 */
export async function setMyLanguage(opts: { db: Db; actor: Rep; language: string; now: Date; requestKey?: string | null }): Promise<Rep> {
  const auto = ['auto', 'slack', 'default'].includes(opts.language.toLowerCase());
  const locale = auto ? null : toLocale(opts.language);
  if (!auto && locale === null) throw new AppError('INVALID_INPUT', `"${opts.language}" is not a language I speak. Languages: en, vi, zh-CN, or auto (your Slack language).`, {
      example: '/kpi settings my-language vi',
      i18n: { key: 'error.admin.myLanguageUnknown', values: { typed: opts.language } },
    });
  const { db, actor, now, requestKey } = opts;
  return oncePerRequest({ db, workspaceId: actor.workspaceId, requestKey, now }, () => inTransaction(db, async (tx) => {
    const updated = await updateRepLanguage(tx, actor.id, locale, now);
    await writeAudit(tx, { workspaceId: actor.workspaceId, actor, entity: 'rep', entityId: actor.id, action: 'update', before: { language: actor.language }, after: { language: locale }, now, requestKey });
    return updated;
  }));
}

/** What only admins change, as the refusal names it, and its catalog option. */
const ADMIN_CHANGES = { 'change roles': 'roles', 'set conversion rates': 'rates', 'change workspace settings': 'settings' } as const;

function assertAdmin(actor: Rep, what: keyof typeof ADMIN_CHANGES): void {
  if (roleOf(actor) !== 'admin') {
    throw new AppError('FORBIDDEN', `Only admins can ${what}. Ask an admin of this workspace (the person who installed the app, or a Slack admin).`, {
      i18n: { key: 'error.adminsOnly', values: { action: ADMIN_CHANGES[what] } },
    });
  }
}

/** The delivery behind an admin change and its clock (see oncePerRequest). */
interface TAdminRequest {
  now: Date;
  requestKey?: string | null;
}

/**
 * Grants a role. Admins grant any role; nobody can demote the last admin. Once per delivery.
 * @example await setRole({ db, actor, target, role: 'manager', now, requestKey: 'cmd:123.456' })
 */
export async function setRole(opts: { db: Db; actor: Rep; target: Rep; role: TRole } & TAdminRequest): Promise<Rep> {
  assertAdmin(opts.actor, 'change roles');
  const { db, actor, target, role, now, requestKey } = opts;
  return oncePerRequest({ db, workspaceId: target.workspaceId, requestKey, now }, () => inTransaction(db, async (tx) => {
    if (roleOf(target) === 'admin' && role !== 'admin') {
      const admins = await adminCount(tx, target.workspaceId);
      if (admins <= 1) throw new AppError('FORBIDDEN', 'That would leave the workspace without an admin. Make someone else admin first.', { i18n: { key: 'error.admin.lastAdmin' } });
    }
    const updated = await updateRep(tx, target.id, { role }, now);
    await writeAudit(tx, { workspaceId: target.workspaceId, actor, entity: 'rep', entityId: target.id, action: 'update', before: { role: target.role }, after: { role }, now, requestKey });
    return updated;
  }));
}

/**
 * Sets 1 `fromCurrency` = `rate` reporting-currency units. Once per delivery.
 * @example await setCurrencyRate({ db, actor, workspace, fromCurrency: 'EUR', rate: 1.08, now })
 */
export async function setCurrencyRate(opts: { db: Db; actor: Rep; workspace: Workspace; fromCurrency: string; rate: number } & TAdminRequest): Promise<void> {
  assertAdmin(opts.actor, 'set conversion rates');
  const from = opts.fromCurrency.toUpperCase();
  if (!isKnownCurrency(from)) throw new AppError('UNKNOWN_CURRENCY', `${from} is not a currency code I know.`, { example: '/kpi rate EUR 1.08', i18n: { key: 'error.admin.unknownCurrency', values: { currency: from } } });
  if (from === opts.workspace.currency) throw new AppError('INVALID_INPUT', `${from} is already the reporting currency.`, { i18n: { key: 'error.admin.alreadyReporting', values: { currency: from } } });
  const problem = rateProblem(opts.rate, from, opts.workspace.currency);
  if (problem) throw new AppError('INVALID_INPUT', problem, { example: rateCommandExample(from, opts.workspace.currency), i18n: rateProblemI18n(opts.rate, from, opts.workspace.currency) ?? undefined });
  const { now, requestKey } = opts;
  await oncePerRequest({ db: opts.db, workspaceId: opts.workspace.id, requestKey, now }, () => inTransaction(opts.db, async (tx) => {
    const before = await currencyRateOf(tx, opts.workspace.id, from);
    const rowId = await upsertCurrencyRate(tx, opts.workspace.id, from, opts.rate, now);
    await writeAudit(tx, {
      workspaceId: opts.workspace.id,
      actor: opts.actor,
      entity: 'currencyRate',
      entityId: rowId,
      action: before ? 'update' : 'create',
      ...(before ? { before: { from, to: opts.workspace.currency, rate: before.rate } } : {}),
      after: { from, to: opts.workspace.currency, rate: opts.rate },
      now,
      requestKey,
    });
  }));
}

export interface TWorkspaceSettingsPatch {
  timeZone?: string;
  currency?: string;
  fiscalYearStartMonth?: number;
  /** en | vi | zh-CN (src/i18n/locales.ts). */
  language?: string;
}

/**
 * Changes workspace settings. The reporting currency can only change while no deal is stored,
 * because stored reporting amounts would otherwise mix currencies.
 */
export async function updateWorkspaceSettings(opts: { db: Db; actor: Rep; workspace: Workspace; patch: TWorkspaceSettingsPatch } & TAdminRequest): Promise<Workspace> {
  assertAdmin(opts.actor, 'change workspace settings');
  const { patch, workspace } = opts;
  if (patch.timeZone !== undefined && !isValidTimeZone(patch.timeZone)) {
    throw new AppError('INVALID_INPUT', `"${patch.timeZone}" is not an IANA time zone.`, { example: '/kpi settings timezone Asia/Ho_Chi_Minh', i18n: { key: 'error.admin.timeZone', values: { typed: patch.timeZone } } });
  }
  if (patch.currency !== undefined && !isKnownCurrency(patch.currency)) {
    throw new AppError('UNKNOWN_CURRENCY', `${patch.currency} is not a currency code I know.`, { example: '/kpi settings currency VND', i18n: { key: 'error.admin.unknownCurrency', values: { currency: patch.currency } } });
  }
  if (patch.fiscalYearStartMonth !== undefined && !(Number.isInteger(patch.fiscalYearStartMonth) && patch.fiscalYearStartMonth >= 1 && patch.fiscalYearStartMonth <= 12)) {
    throw new AppError('INVALID_INPUT', 'The fiscal year start is a month number from 1 (January) to 12.', { example: '/kpi settings fiscal-year-start 4', i18n: { key: 'error.admin.fiscalMonth' } });
  }
  if (patch.language !== undefined && toLocale(patch.language) === null) {
    throw new AppError('INVALID_INPUT', `"${patch.language}" is not a language I speak. Languages: en, vi, zh-CN.`, { example: '/kpi settings language vi', i18n: { key: 'error.admin.languageUnknown', values: { typed: patch.language } } });
  }
  if (patch.language !== undefined) patch.language = toLocale(patch.language)!;
  const { now, requestKey } = opts;
  return oncePerRequest({ db: opts.db, workspaceId: workspace.id, requestKey, now }, () => inTransaction(opts.db, async (tx) => {
    if (patch.currency !== undefined && patch.currency !== workspace.currency) {
      const { deals, quotas, rates, refunds } = await amountsHeld(tx, workspace.id);
      // Stored reporting amounts and rates are all in the current currency: changing it would
      // silently reinterpret them.
      const held = [deals && `${deals} deals`, quotas && `${quotas} quotas`, rates && `${rates} conversion rates`, refunds && `${refunds} refunds`].filter(Boolean);
      if (held.length > 0) throw new AppError('CONFLICT', `This workspace already has ${held.join(', ')} in ${workspace.currency}; its reporting currency can no longer change. Add rates for other currencies instead.`, {
          example: rateCommandExample(patch.currency, workspace.currency),
          i18n: { key: 'error.admin.currencyHeld', values: { currency: workspace.currency, deals, quotas, rates, refunds } },
        });
    }
    const updated = await updateWorkspaceSettingsRow(tx, workspace.id, patch, now);
    await writeAudit(tx, { workspaceId: workspace.id, actor: opts.actor, entity: 'workspace', entityId: workspace.id, action: 'update', before: { timeZone: workspace.timeZone, currency: workspace.currency, fiscalYearStartMonth: workspace.fiscalYearStartMonth, language: workspace.language }, after: patch, now, requestKey });
    return updated;
  }));
}
