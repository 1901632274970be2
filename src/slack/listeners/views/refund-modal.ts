import type { App, ViewSubmitAction, SlackViewMiddlewareArgs, AllMiddlewareArgs } from '@slack/bolt';
import { isAppError } from '../../../errors.js';
import { isAlreadyDone } from '../../../domain/once-per-request.js';
import { findRefundTarget } from '../../../domain/refunds/find-refund-target.js';
import { formatMoneyL } from '../../../i18n/format.js';
import { t } from '../../../i18n/t.js';
import { DEFAULT_LOCALE, type TLocale } from '../../../i18n/locales.js';
import { localeOf } from '../../locale-of.js';
import { errorText } from '../../blocks/messages.js';
import { REFUND_MODAL_CALLBACK } from '../../blocks/refund-modal.js';
import { buildRefundPick } from '../../blocks/refund-messages.js';
import { parseRefundForm, parseRefundModalMeta } from '../../forms/refund-form.js';
import type { TViewStateValues } from '../../forms/deal-form.js';
import { authorisedTeamId, findMember, memberFor, readerFor, type AppDeps } from '../../context.js';
import type { SlackMessage } from '../../gateway.js';
import { ackOnce } from '../ack-once.js';
import { outcomeMessage, recordAsked, refundButtonValue, type TRefundAsk } from '../../refunds/refund-flow.js';
import { staleValueError } from '../../sealed-values.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Which field a refusal belongs on (the customer unless it is about money). */
function fieldOf(e: unknown): string {
  if (!isAppError(e)) return 'customer';
  if (e.field === 'currency' || e.code === 'NO_RATE' || e.code === 'UNKNOWN_CURRENCY') return 'currency';
  if (e.field === 'amount' || e.code === 'INVALID_AMOUNT') return 'amount';
  if (e.field === 'reason') return 'reason';
  return 'customer';
}

/**
 * Refund modal submitted: every field checked first (problems inline, keeping what was typed),
 * then the customer's won deal. One deal: recorded (the view id is the idempotency key), the
 * modal closes and a private confirmation follows. Above what was won and the box not ticked:
 * refused on the amount, nothing written. Several won deals: the modal closes and the private
 * "which deal?" question follows, with buttons.
 */
export async function handleRefundModalSubmission(deps: AppDeps, { ack, body, view, context }: Pick<Args, 'ack' | 'body' | 'view' | 'context'>): Promise<void> {
  const teamId = authorisedTeamId(context);
  const userId = body.user.id;
  const opened = deps.sealer.open('refund-modal', { teamId, userId }, view.private_metadata);
  if (opened === null) {
    const known = await findMember(deps, teamId, userId).catch(() => null);
    await ack({ response_action: 'errors', errors: { customer: errorText(staleValueError('form'), known ? localeOf(known) : DEFAULT_LOCALE) } });
    return;
  }
  const meta = parseRefundModalMeta(opened);
  const acknowledge = ackOnce(() => ack());
  let answered = false;
  let locale: TLocale = DEFAULT_LOCALE;
  try {
    const known = await findMember(deps, teamId, userId);
    locale = localeOf(known);
    const form = parseRefundForm(view.state.values as TViewStateValues, { defaultCurrency: known.workspace?.currency ?? deps.config.CURRENCY_DEFAULT, locale });
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    // Who has never used the app is checked against the deals before anything is recorded about them.
    const reader = await readerFor(deps, teamId, userId, known);
    const target = await findRefundTarget({ db: deps.db, actor: reader.rep, customer: form.customer });
    const member = known.rep && known.workspace ? { workspace: known.workspace, rep: known.rep } : await memberFor(deps, teamId, userId);
    const { workspace, rep } = member;
    locale = localeOf(member);
    const ask: TRefundAsk = { locale, workspace, rep, teamId, userId, customer: form.customer, amountMinor: form.amountMinor, currency: form.currency, reason: form.reason, requestKey: `view:${view.id}`, source: 'slack-modal', now: deps.now() };
    let message: SlackMessage;
    if (target.kind === 'several') {
      message = buildRefundPick({ customer: form.customer, amountMinor: form.amountMinor, currency: form.currency, timeZone: workspace.timeZone, choices: target.choices.map((c) => ({ ...c, value: refundButtonValue(deps, ask, c.deal.id) })), locale });
    } else {
      const outcome = await recordAsked(deps, ask, target.deal.id, form.confirmedOverCap);
      if (outcome.kind === 'needs-confirmation') {
        const left = outcome.cap.remainingMinor <= 0n ? t(locale, 'ops.refund.nothingLeft') : t(locale, 'ops.refundModal.left', { amount: formatMoneyL(locale, outcome.cap.remainingMinor, outcome.cap.currency) });
        await ack({
          response_action: 'errors',
          errors: {
            amount: t(locale, 'ops.refundModal.overCap', { customer: target.deal.customer, won: formatMoneyL(locale, target.deal.amountMinor, target.deal.currency), left }),
            confirm: t(locale, 'ops.refundModal.tick'),
          },
        });
        return;
      }
      message = outcomeMessage(deps, ask, outcome);
    }
    // Recorded (or nothing to record yet): only now does Slack hear "ok" and close the modal.
    answered = true;
    await acknowledge();
    await deps.slack.postPrivate(meta.channelId ?? undefined, userId, message).catch((e: unknown) => deps.logger.warn('refund confirmation not delivered', { error: e }));
  } catch (e) {
    // A repeated delivery of a submission that was recorded: close the form, change nothing.
    if (isAlreadyDone(e)) {
      if (!answered) await acknowledge().catch(() => undefined);
      return;
    }
    if (!isAppError(e)) deps.logger.error('refund modal failed', { error: e });
    const text = isAppError(e) ? errorText(e, locale) : t(locale, 'ops.refundModal.failed');
    if (!answered) await ack({ response_action: 'errors', errors: { [fieldOf(e)]: text } }).catch(() => undefined);
  }
}

export function registerRefundModal(app: App, deps: AppDeps): void {
  app.view<ViewSubmitAction>({ callback_id: REFUND_MODAL_CALLBACK, type: 'view_submission' }, async (args) => handleRefundModalSubmission(deps, args));
}
