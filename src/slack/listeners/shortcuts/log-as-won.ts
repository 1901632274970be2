import type { App, MessageShortcut } from '@slack/bolt';
import { extractDealHints } from '../../../domain/deals/extract-deal-hints.js';
import { funnelStages } from '../../../domain/deals/stages.js';
import { CURRENCIES } from '../../../domain/money.js';
import { buildDealModal } from '../../blocks/deal-modal.js';
import { buildErrorMessage } from '../../blocks/messages.js';
import { authorisedTeamId, readerFor, type AppDeps } from '../../context.js';
import { todayIn } from '../commands/deal.js';
import { localeOf } from '../../locale-of.js';
import type { TLocale } from '../../../i18n/locales.js';

export const LOG_AS_WON_CALLBACK = 'log_as_won';

/** Message shortcut "Log as won deal": the deal modal prefilled from the message. */
export async function handleLogAsWon(deps: AppDeps, shortcut: MessageShortcut, teamId: string): Promise<void> {
  let locale: TLocale = 'en';
  try {
    const member = await readerFor(deps, teamId, shortcut.user.id);
    const { workspace } = member;
    locale = localeOf(member);
    // The amount as the person opening the form would type it: the form reads it in their number form.
    const hints = extractDealHints(shortcut.message.text ?? '', workspace.currency, locale);
    const view = buildDealModal({
      stages: funnelStages(workspace.funnelStages),
      currencies: Object.keys(CURRENCIES),
      defaultCurrency: workspace.currency,
      userId: shortcut.user.id,
      today: todayIn(deps.now(), workspace.timeZone),
      prefill: {
        status: 'won',
        ...(hints.customer ? { customer: hints.customer } : {}),
        ...(hints.amount ? { amount: hints.amount } : {}),
        ...(hints.currency ? { currency: hints.currency } : {}),
        notes: (shortcut.message.text ?? '').slice(0, 2900),
      },
      meta: { channelId: shortcut.channel.id, sourceKey: `msg:${shortcut.channel.id}:${shortcut.message.ts}` },
      seal: (json) => deps.sealer.seal('deal-modal', { teamId, userId: shortcut.user.id }, json),
      locale,
    });
    await deps.slack.openModal(shortcut.trigger_id, view);
  } catch (e) {
    deps.logger.warn('log-as-won failed', { error: e });
    await deps.slack.postPrivate(shortcut.channel.id, shortcut.user.id, buildErrorMessage(e, locale)).catch(() => undefined);
  }
}

export function registerLogAsWon(app: App, deps: AppDeps): void {
  app.shortcut<MessageShortcut>(LOG_AS_WON_CALLBACK, async ({ ack, shortcut, context }) => {
    await ack();
    await handleLogAsWon(deps, shortcut, authorisedTeamId(context));
  });
}
