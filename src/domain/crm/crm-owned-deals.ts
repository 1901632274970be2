import { AppError } from '../../errors.js';
import type { Db } from '../../storage/db.js';
import type { Deal, Rep } from '../../storage/models.js';
import { crmSettingsOfWorkspace } from '../../storage/queries/crm-settings.js';
import { findOpenDeal } from '../deals/find-open-deal.js';
import { findLostTarget } from '../deals/quick-actions.js';
import { currencyDecimals } from '../money.js';
import type { TCrmCredentials, TCrmKeyRing } from './credentials.js';
import { isCrmSource } from './crm-mapping.js';
import type { TCrmVendor, TCrmWriteBack } from './crm-source.js';
import { loadCrmConnection } from './load-crm-connection.js';
import { listCrmStageMapping } from './manage-crm.js';

// One source of truth per deal (issue #10 item 5): a deal synced from a CRM (`source` = the vendor)
// is changed by `/deal` only through the CRM (write-back, opt-in, HubSpot and Pipedrive), or not at
// all: the answer then says the CRM owns it and links to it.

/** Vendors whose connector writes `/deal` changes back. */
export const WRITE_BACK_VENDORS: readonly TCrmVendor[] = ['hubspot', 'pipedrive'];

/** What a quick form would change on the deal. */
export type TQuickChange =
  | { kind: 'won'; customer: string; amountMinor: bigint; currency: string }
  | { kind: 'lost'; candidates: ReadonlyArray<{ customer: string; reason: string | null }> }
  | { kind: 'stage'; customer: string; stage: string; amountMinor: bigint | null; currency: string };

/** How `/deal` must treat the deal a quick form means. */
export type TCrmDealPlan =
  /** `open`: the open deal a won/stage change means (null: none, a new deal), as read for this plan; absent for `lost`. */
  | { kind: 'local'; open?: Deal | null }
  | { kind: 'refuse'; deal: Deal; vendor: TCrmVendor; url: string | null; reason: 'write-back-off' | 'vendor' | 'not-connected' | 'no-stage'; target?: string }
  | { kind: 'write-back'; deal: Deal; vendor: TCrmVendor; credentials: TCrmCredentials; baseUrl: string | null; change: TCrmWriteBack };

/**
 * Minor units as the decimal text a CRM stores, with the currency's own digits.
 *
 * @example minorToDecimalText(1250050n, 'USD') // '12500.50'
 * @example minorToDecimalText(5000000n, 'VND') // '5000000'
 */
export function minorToDecimalText(amountMinor: bigint, currency: string): string {
  const digits = currencyDecimals(currency);
  const negative = amountMinor < 0n;
  const abs = negative ? -amountMinor : amountMinor;
  if (digits === 0) return `${negative ? '-' : ''}${abs}`;
  const scale = 10n ** BigInt(digits);
  return `${negative ? '-' : ''}${abs / scale}.${(abs % scale).toString().padStart(digits, '0')}`;
}

/**
 * The link to a deal in its CRM's own UI, when what it needs is known.
 *
 * @example crmDealUrl('hubspot', '77', { portalId: '62515' }) // 'https://app.hubspot.com/contacts/62515/record/0-3/77'
 * @example crmDealUrl('pipedrive', '5', { appUrl: 'https://acme.pipedrive.com' }) // 'https://acme.pipedrive.com/deal/5'
 * @example crmDealUrl('pipedrive', '5', {}) // null (the company's Pipedrive address is not known yet)
 */
export function crmDealUrl(vendor: TCrmVendor, crmId: string, known: { portalId?: string | null; appUrl?: string | null; instanceUrl?: string | null }): string | null {
  const id = encodeURIComponent(crmId);
  if (vendor === 'hubspot') return known.portalId && /^\d+$/.test(known.portalId) ? `https://app.hubspot.com/contacts/${known.portalId}/record/0-3/${id}` : null;
  const base = vendor === 'pipedrive' ? known.appUrl : known.instanceUrl;
  if (!base || !/^https:\/\/[^\s/]+/.test(base)) return null;
  return vendor === 'pipedrive' ? `${base.replace(/\/+$/, '')}/deal/${id}` : `${base.replace(/\/+$/, '')}/lightning/r/Opportunity/${id}/view`;
}

async function targetOf(db: Db, actor: Rep, change: TQuickChange): Promise<{ deal: Deal; reason: string | null } | null> {
  if (change.kind === 'lost') {
    try {
      const t = await findLostTarget(db, actor, change.candidates);
      return { deal: t.open, reason: t.reason };
    } catch (e) {
      if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
      throw e;
    }
  }
  const deal = await findOpenDeal(db, actor, change.customer);
  return deal ? { deal, reason: null } : null;
}

/**
 * Decides what a quick form may do with the deal it means: a local deal (or none: a new one) is
 * `local`; a CRM deal is written back when the workspace opted in and its vendor supports it
 * (the CRM stage comes from the stage mapping), else refused with a link. Reads only.
 *
 * @example
 * const plan = await planCrmDealChange({ db, keyRing, actor, change: { kind: 'won', customer: 'Acme', amountMinor: 1200000n, currency: 'USD' }, now });
 * if (plan.kind === 'refuse') …
 */
export async function planCrmDealChange(opts: { db: Db; keyRing: TCrmKeyRing | null; actor: Rep; change: TQuickChange; now: Date }): Promise<TCrmDealPlan> {
  const target = await targetOf(opts.db, opts.actor, opts.change);
  if (!target || !isCrmSource(target.deal.source)) return opts.change.kind === 'lost' ? { kind: 'local' } : { kind: 'local', open: target?.deal ?? null };
  const { deal } = target;
  const vendor = target.deal.source as TCrmVendor;
  const crmId = deal.externalId?.startsWith(`${vendor}:`) ? deal.externalId.slice(vendor.length + 1) : (deal.externalId ?? '');
  const settings = await crmSettingsOfWorkspace(opts.db, deal.workspaceId);
  const connection = opts.keyRing ? await loadCrmConnection({ db: opts.db, workspaceId: deal.workspaceId, keyRing: opts.keyRing, now: opts.now }).catch(() => null) : null;
  const live = connection && connection.vendor === vendor && connection.status !== 'disconnected' && connection.status !== 'revoked' ? connection : null;
  const url = crmDealUrl(vendor, crmId, { portalId: settings?.hubspotPortalId ?? live?.credentials.portalId ?? null, appUrl: (connection?.vendor === vendor ? connection.appUrl : null) ?? live?.credentials.appUrl ?? null, instanceUrl: live?.credentials.instanceUrl ?? null });
  if (!settings?.writeBack) return { kind: 'refuse', deal, vendor, url, reason: 'write-back-off' };
  if (!WRITE_BACK_VENDORS.includes(vendor)) return { kind: 'refuse', deal, vendor, url, reason: 'vendor' };
  if (!live || !crmId) return { kind: 'refuse', deal, vendor, url, reason: 'not-connected' };
  const wanted = opts.change.kind === 'stage' ? opts.change.stage : opts.change.kind;
  const stageId = (await listCrmStageMapping({ db: opts.db, workspaceId: deal.workspaceId })).find((m) => m.target === wanted)?.crmStageId;
  // HubSpot derives won/lost from the stage, so a status needs a stage; Pipedrive takes the status alone.
  if (stageId === undefined && (vendor === 'hubspot' || opts.change.kind === 'stage')) return { kind: 'refuse', deal, vendor, url, reason: 'no-stage', target: wanted };
  const change: TCrmWriteBack = { crmId, ...(stageId !== undefined ? { stageId } : {}) };
  if (opts.change.kind === 'won') Object.assign(change, { status: 'won', closedAt: opts.now, amount: minorToDecimalText(opts.change.amountMinor, opts.change.currency), currency: opts.change.currency });
  if (opts.change.kind === 'lost') Object.assign(change, { status: 'lost', closedAt: opts.now, ...(target.reason ? { lostReason: target.reason } : {}) });
  if (opts.change.kind === 'stage' && opts.change.amountMinor !== null) Object.assign(change, { amount: minorToDecimalText(opts.change.amountMinor, opts.change.currency), currency: opts.change.currency });
  return { kind: 'write-back', deal, vendor, credentials: live.credentials, baseUrl: live.baseUrl, change };
}
