import { CrmSourceError } from '../../../domain/crm/crm-source.js';
import { planCrmDealChange, type TQuickChange } from '../../../domain/crm/crm-owned-deals.js';
import type { TLocale } from '../../../i18n/locales.js';
import { translator } from '../../../i18n/t.js';
import type { Deal, Rep } from '../../../storage/models.js';
import { buildCrmOwnedRefusal, buildCrmWriteBackFailed, vendorName } from '../../blocks/crm-admin.js';
import { context } from '../../blocks/messages.js';
import type { AppDeps } from '../../context.js';
import type { SlackMessage } from '../../gateway.js';

/** What `/deal` does next with a quick form: answer now (refused, write-back failed) or go on locally. */
/** `open`: the open deal the gate already read for a won/stage change (the write needn't read it again). */
export type TCrmDealGate = { kind: 'answer'; message: SlackMessage } | { kind: 'proceed'; note: string | null; open?: Deal | null };

/**
 * Before a quick form changes a deal: a deal the CRM owns is written back to the CRM first
 * (write-back on, HubSpot/Pipedrive), then changed here; otherwise it is refused privately with a
 * link, nothing written. A local deal (or a new one) goes on unchanged. Answers and the note are
 * in `locale` (the person's language).
 */
export async function gateCrmDeal(deps: AppDeps, actor: Rep, change: TQuickChange, locale: TLocale = 'en'): Promise<TCrmDealGate> {
  const tr = translator(locale);
  if (!deps.crm) return { kind: 'proceed', note: null };
  const plan = await planCrmDealChange({ db: deps.db, keyRing: deps.crm.keyRing, actor, change, now: deps.now() });
  if (plan.kind === 'local') return { kind: 'proceed', note: null, ...(plan.open !== undefined ? { open: plan.open } : {}) };
  if (plan.kind === 'refuse') return { kind: 'answer', message: buildCrmOwnedRefusal({ customer: plan.deal.customer, vendor: plan.vendor, url: plan.url, reason: plan.reason, ...(plan.target ? { target: plan.target } : {}), locale }) };
  const name = vendorName(plan.vendor);
  try {
    const source = deps.crm.createSource(plan.vendor, plan.credentials, { ...(plan.baseUrl ? { baseUrl: plan.baseUrl } : {}), timeoutMs: deps.crm.writeBackTimeoutMs });
    if (!source.writeBack) return { kind: 'answer', message: buildCrmOwnedRefusal({ customer: plan.deal.customer, vendor: plan.vendor, url: null, reason: 'vendor', locale }) };
    // Bounded even if a connector ignored its signal: Slack needs the answer within 3 s.
    const signal = AbortSignal.timeout(deps.crm.writeBackTimeoutMs);
    const gaveUp = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
    await Promise.race([source.writeBack(plan.change, signal), gaveUp]);
  } catch (e) {
    const kind = e instanceof CrmSourceError ? e.kind : e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError') ? 'unavailable' : 'unknown';
    deps.logger.warn('CRM write-back failed', { vendor: plan.vendor, kind });
    const problem =
      kind === 'auth' ? tr('crm.problem.auth', { name, vendor: plan.vendor })
      : kind === 'rate-limited' ? tr('crm.problem.rateLimited', { name })
      : kind === 'unavailable' ? tr('crm.problem.unavailable', { name })
      : tr('crm.problem.other', { name });
    return { kind: 'answer', message: buildCrmWriteBackFailed({ customer: plan.deal.customer, vendor: plan.vendor, problem, locale }) };
  }
  return { kind: 'proceed', note: tr('crm.writtenBack', { name }) };
}

/** The confirmation with the write-back note under it. */
export function withCrmNote(message: SlackMessage, note: string | null): SlackMessage {
  if (!note) return message;
  return { ...message, text: `${message.text}\n${note}`, blocks: [...(message.blocks ?? []), context(`:arrows_counterclockwise: ${note}`)] };
}
