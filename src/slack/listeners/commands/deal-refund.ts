import type { SlashCommand } from '@slack/bolt';
import { findRefundTarget, noWonDealError } from '../../../domain/refunds/find-refund-target.js';
import type { TRefundCommand } from '../../../domain/refunds/parse-refund-command.js';
import { memberFor, readerFor, type AppDeps, type TKnownMember } from '../../context.js';
import type { SlackMessage } from '../../gateway.js';
import { commandRequestKey } from '../../request-keys.js';
import { answerRefund } from '../../refunds/refund-flow.js';
import { localeOf } from '../../locale-of.js';
import type { TLocale } from '../../../i18n/locales.js';

/**
 * `/deal refund Acme 2m [reason]`: the refund against Acme's won deal, or the private question
 * back (which deal; confirm above the deal). Someone the app has never met is checked against
 * the deals first, so an unknown customer writes nothing, not even their member record.
 */
export async function handleRefundCommand(deps: AppDeps, command: SlashCommand, parsed: TRefundCommand, known: TKnownMember, now: Date, onLocale: (locale: TLocale) => void = () => undefined): Promise<SlackMessage> {
  if (!known.workspace) throw noWonDealError(parsed.customer, false);
  if (!known.rep) {
    const { rep: standIn } = await readerFor(deps, command.team_id, command.user_id, known);
    await findRefundTarget({ db: deps.db, actor: standIn, customer: parsed.customer });
  }
  const member = await memberFor(deps, command.team_id, command.user_id);
  const { workspace, rep } = member;
  // From their first contact on, the asker's Slack locale is known: refusals follow it too.
  const locale = localeOf(member);
  onLocale(locale);
  return answerRefund(deps, {
    locale,
    workspace,
    rep,
    teamId: command.team_id,
    userId: command.user_id,
    customer: parsed.customer,
    amountMinor: parsed.amountMinor,
    currency: parsed.currency,
    reason: parsed.reason,
    requestKey: commandRequestKey(command),
    source: 'slack-command',
    now,
  });
}
