import type { App, BlockButtonAction } from '@slack/bolt';
import { funnelStages } from '../../../domain/deals/stages.js';
import { CURRENCIES } from '../../../domain/money.js';
import { buildDealModal } from '../../blocks/deal-modal.js';
import { HOME_LOG_DEAL_ACTION, HOME_SET_QUOTA_ACTION } from '../../blocks/app-home.js';
import { buildErrorMessage } from '../../blocks/messages.js';
import { authorisedTeamId, readerFor, type AppDeps } from '../../context.js';
import { openQuotaModal } from '../../kpi/quota-set.js';
import { todayIn } from '../commands/deal.js';
import { localeOf } from '../../locale-of.js';
import type { TLocale } from '../../../i18n/locales.js';

/** Tells the user privately (a DM, since the Home has no channel) what went wrong, in their language. */
async function refuse(deps: AppDeps, body: BlockButtonAction, e: unknown, locale: TLocale): Promise<void> {
  deps.logger.warn('home button refused', { code: (e as { code?: string }).code, error: e instanceof Error ? e.message : String(e) });
  await deps.slack.postPrivate(body.channel?.id, body.user.id, buildErrorMessage(e, locale)).catch((err: unknown) => deps.logger.error('could not answer home button', { error: err }));
}

/** *Log a deal* on the App Home: the deal modal, as `/deal` opens it (no channel to announce in). */
export async function handleHomeLogDeal(deps: AppDeps, body: BlockButtonAction, teamId: string): Promise<void> {
  let locale: TLocale = 'en';
  try {
    const member = await readerFor(deps, teamId, body.user.id);
    locale = localeOf(member);
    const { workspace } = member;
    const view = buildDealModal({
      stages: funnelStages(workspace.funnelStages),
      currencies: Object.keys(CURRENCIES),
      defaultCurrency: workspace.currency,
      userId: body.user.id,
      today: todayIn(deps.now(), workspace.timeZone),
      meta: { channelId: null },
      seal: (json) => deps.sealer.seal('deal-modal', { teamId, userId: body.user.id }, json),
      locale,
    });
    await deps.slack.openModal(body.trigger_id, view);
  } catch (e) {
    await refuse(deps, body, e, locale);
  }
}

/** *Set quotas* on the App Home (managers and admins): the quota modal, in the person's language. */
export async function handleHomeSetQuota(deps: AppDeps, body: BlockButtonAction, teamId: string): Promise<void> {
  let locale: TLocale = 'en';
  try {
    const member = await readerFor(deps, teamId, body.user.id);
    locale = localeOf(member);
    await openQuotaModal(deps, { member, triggerId: body.trigger_id, meta: { channelId: null, origin: 'home' } });
  } catch (e) {
    await refuse(deps, body, e, locale);
  }
}

export function registerHomeButtons(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(HOME_LOG_DEAL_ACTION, async ({ ack, body, context }) => {
    await ack();
    await handleHomeLogDeal(deps, body, authorisedTeamId(context));
  });
  app.action<BlockButtonAction>(HOME_SET_QUOTA_ACTION, async ({ ack, body, context }) => {
    await ack();
    await handleHomeSetQuota(deps, body, authorisedTeamId(context));
  });
}
