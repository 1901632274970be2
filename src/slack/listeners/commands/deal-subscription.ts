import type { SlashCommand } from '@slack/bolt';
import { changeSubscriptionMrr } from '../../../domain/subscriptions/change-subscription-mrr.js';
import { churnSubscription } from '../../../domain/subscriptions/churn-subscription.js';
import type { TSubscriptionCommand } from '../../../domain/subscriptions/parse-subscription-command.js';
import { buildChurnConfirmation, buildMrrChangeConfirmation } from '../../blocks/subscription-messages.js';
import { memberFor, type AppDeps } from '../../context.js';
import type { SlackMessage } from '../../gateway.js';
import { commandRequestKey } from '../../request-keys.js';
import { localeOf } from '../../locale-of.js';
import type { TLocale } from '../../../i18n/locales.js';

/**
 * `/deal churn …` and `/deal mrr …`: the change is committed (exactly once per delivery) before
 * the private answer acknowledges the command; refusals are thrown to `/deal`'s error answer.
 */
export async function handleSubscriptionCommand(
  deps: AppDeps,
  command: SlashCommand,
  parsed: TSubscriptionCommand,
  now: Date,
  reply: (m: SlackMessage) => Promise<void>,
  onLocale: (locale: TLocale) => void = () => undefined,
): Promise<void> {
  const member = await memberFor(deps, command.team_id, command.user_id);
  const { workspace, rep } = member;
  // The asker's language from their first contact on (refusals below follow it too).
  const locale = localeOf(member);
  onLocale(locale);
  const base = { db: deps.db, workspace, actor: rep, target: parsed.target, date: parsed.date, now, requestKey: commandRequestKey(command) };
  if (parsed.kind === 'churn') {
    const r = await churnSubscription(base);
    const undoValue = deps.sealer.seal('undo', { teamId: command.team_id, userId: command.user_id }, String(r.deal.id));
    await reply(buildChurnConfirmation({ deal: r.deal, endedAt: r.endedAt, churnedMinor: r.churnedMinor, reportingCurrency: workspace.currency, timeZone: workspace.timeZone, undoValue, locale }));
    return;
  }
  const r = await changeSubscriptionMrr({ ...base, amountMinor: parsed.amountMinor, currency: parsed.currency });
  await reply(
    buildMrrChangeConfirmation({
      deal: r.deal,
      effectiveAt: r.change.effectiveAt,
      previousMinor: r.previousMinor,
      newMinor: r.change.monthlyMinor,
      newCurrency: r.change.currency,
      newReportingMinor: r.change.monthlyReportingMinor,
      reportingCurrency: workspace.currency,
      timeZone: workspace.timeZone,
      locale,
    }),
  );
}
