import type { App, BlockAction, BlockButtonAction } from '@slack/bolt';
import { REFUND_EXAMPLE } from '../../../domain/refunds/parse-refund-command.js';
import { undoRefund } from '../../../domain/refunds/undo-refund.js';
import { CURRENCIES } from '../../../domain/money.js';
import { AppError } from '../../../errors.js';
import { HOME_RECORD_REFUND_ACTION } from '../../blocks/app-home.js';
import { buildErrorMessage } from '../../blocks/messages.js';
import { buildRefundCancelled, buildUndoAnswer, REFUND_CANCEL_ACTION, REFUND_CONFIRM_ACTION, REFUND_PICK_ACTION, REFUND_UNDO_ACTION } from '../../blocks/refund-messages.js';
import { buildRefundModal, DEAL_MODAL_REFUND_ACTION } from '../../blocks/refund-modal.js';
import { authorisedTeamId, findMember, memberFor, readerFor, type AppDeps } from '../../context.js';
import type { SlackMessage } from '../../gateway.js';
import { readRefundButton } from '../../forms/refund-form.js';
import { parseDealModalMeta } from '../../forms/deal-form.js';
import { actionRequestKey } from '../../request-keys.js';
import { outcomeMessage, recordAsked } from '../../refunds/refund-flow.js';
import { staleValueError } from '../../sealed-values.js';
import { ackOnce } from '../ack-once.js';
import { localeOf } from '../../locale-of.js';
import { DEFAULT_LOCALE, type TLocale } from '../../../i18n/locales.js';

/** Replies on the button's message (replacing it when asked) or, without one, privately. */
function replier(deps: AppDeps, body: BlockButtonAction, acknowledge: () => Promise<void>) {
  return async (m: SlackMessage, replaceOriginal: boolean) => {
    await acknowledge();
    if (body.response_url) await deps.slack.respond(body.response_url, { ...m, replaceOriginal });
    else await deps.slack.postPrivate(body.channel?.id, body.user.id, m);
  };
}

/**
 * A refund button: a won deal picked (`confirmed` false: the cap is still checked) or Confirm above
 * the deal (`confirmed` true). The refund, its deal and the asking request's key are sealed for
 * this team and user; the key makes any number of clicks record it once. Committed before the ack.
 */
export async function handleRefundButton(deps: AppDeps, body: BlockButtonAction, teamId: string, confirmed: boolean, ack: () => Promise<void> = async () => undefined): Promise<void> {
  const acknowledge = ackOnce(ack);
  const reply = replier(deps, body, acknowledge);
  let locale: TLocale = DEFAULT_LOCALE;
  try {
    locale = localeOf(await findMember(deps, teamId, body.user.id));
    const asked = readRefundButton(deps.sealer.open('refund', { teamId, userId: body.user.id }, body.actions[0]?.value));
    if (!asked) throw staleValueError();
    const member = await memberFor(deps, teamId, body.user.id);
    const { workspace, rep } = member;
    locale = localeOf(member);
    const ask = {
      locale,
      workspace,
      rep,
      teamId,
      userId: body.user.id,
      customer: '',
      amountMinor: BigInt(asked.a),
      currency: asked.c,
      reason: asked.r,
      requestKey: asked.k,
      source: asked.s,
      now: deps.now(),
    };
    const outcome = await recordAsked(deps, ask, asked.d, confirmed);
    await reply(outcomeMessage(deps, ask, outcome), true);
  } catch (e) {
    deps.logger.warn('refund button refused', { code: (e as { code?: string }).code, error: e instanceof Error ? e.message : String(e) });
    await reply(buildErrorMessage(e, locale), false).catch((err: unknown) => deps.logger.error('could not answer refund button', { error: err }));
  } finally {
    await acknowledge();
  }
}

/** Cancel on the "more than was won" question: nothing was written, the question goes away. */
export async function handleRefundCancel(deps: AppDeps, body: BlockButtonAction, teamId: string): Promise<void> {
  const reply = replier(deps, body, async () => undefined);
  const locale = await findMember(deps, teamId, body.user.id).then(localeOf, () => DEFAULT_LOCALE);
  await reply(buildRefundCancelled(locale), true).catch((err: unknown) => deps.logger.error('could not answer refund cancel', { error: err }));
}

/** Undo on a refund confirmation: removes that refund when the clicker recorded it. */
export async function handleRefundUndo(deps: AppDeps, body: BlockButtonAction, teamId: string, ack: () => Promise<void> = async () => undefined): Promise<void> {
  const acknowledge = ackOnce(ack);
  const reply = replier(deps, body, acknowledge);
  let locale: TLocale = DEFAULT_LOCALE;
  try {
    const known = await findMember(deps, teamId, body.user.id);
    locale = localeOf(known);
    const opened = deps.sealer.open('refund-undo', { teamId, userId: body.user.id }, body.actions[0]?.value);
    const refundId = Number(opened);
    if (opened === null || !Number.isSafeInteger(refundId)) throw staleValueError();
    const { rep } = known;
    if (!rep) throw new AppError('NOTHING_TO_UNDO', 'That refund was already undone, or it is not yours to undo.', { i18n: { key: 'error.refund.notYours' } });
    const undone = await undoRefund({ db: deps.db, actor: rep, refundId, now: deps.now(), requestKey: actionRequestKey(body) });
    await reply(buildUndoAnswer(undone, locale), true);
  } catch (e) {
    await reply(buildErrorMessage(e, locale), false).catch((err: unknown) => deps.logger.error('could not answer refund undo', { error: err }));
  } finally {
    await acknowledge();
  }
}

/**
 * *Record refund* on the App Home (views.open) or *Record a refund* in the deal modal (views.push,
 * on top of the deal form; the confirmation goes where the deal form would have confirmed), in
 * the person's language.
 */
export async function openRefundModal(deps: AppDeps, body: BlockAction, teamId: string, from: 'home' | 'deal-modal'): Promise<void> {
  let locale: TLocale = 'en';
  try {
    const member = await readerFor(deps, teamId, body.user.id);
    locale = localeOf(member);
    const { workspace } = member;
    let channelId: string | null = null;
    if (from === 'deal-modal') {
      const meta = deps.sealer.open('deal-modal', { teamId, userId: body.user.id }, body.view?.private_metadata);
      channelId = meta === null ? null : parseDealModalMeta(meta).channelId;
    }
    const view = buildRefundModal({
      currencies: Object.keys(CURRENCIES),
      defaultCurrency: workspace.currency,
      meta: { channelId },
      seal: (json) => deps.sealer.seal('refund-modal', { teamId, userId: body.user.id }, json),
      locale,
    });
    if (from === 'deal-modal') await deps.slack.pushModal(body.trigger_id, view);
    else await deps.slack.openModal(body.trigger_id, view);
  } catch (e) {
    deps.logger.warn('refund form not opened', { error: e instanceof Error ? e.message : String(e) });
    const err =
      e instanceof AppError
        ? e
        : new AppError('SLACK_UNREACHABLE', "I couldn't open the refund form because Slack did not answer in time. Try again, or record it in one line.", { example: REFUND_EXAMPLE, i18n: { key: 'error.refund.modalNotOpened' } });
    await deps.slack.postPrivate(undefined, body.user.id, buildErrorMessage(err, locale)).catch((x: unknown) => deps.logger.error('could not answer refund form', { error: x }));
  }
}

export function registerRefundButtons(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(new RegExp(`^${REFUND_PICK_ACTION}_\\d+$`), async ({ ack, body, context }) => handleRefundButton(deps, body, authorisedTeamId(context), false, () => ack()));
  app.action<BlockButtonAction>(REFUND_CONFIRM_ACTION, async ({ ack, body, context }) => handleRefundButton(deps, body, authorisedTeamId(context), true, () => ack()));
  app.action<BlockButtonAction>(REFUND_CANCEL_ACTION, async ({ ack, body, context }) => {
    await ack();
    await handleRefundCancel(deps, body, authorisedTeamId(context));
  });
  app.action<BlockButtonAction>(REFUND_UNDO_ACTION, async ({ ack, body, context }) => handleRefundUndo(deps, body, authorisedTeamId(context), () => ack()));
  app.action<BlockButtonAction>(HOME_RECORD_REFUND_ACTION, async ({ ack, body, context }) => {
    await ack();
    await openRefundModal(deps, body, authorisedTeamId(context), 'home');
  });
  app.action<BlockButtonAction>(DEAL_MODAL_REFUND_ACTION, async ({ ack, body, context }) => {
    await ack();
    await openRefundModal(deps, body, authorisedTeamId(context), 'deal-modal');
  });
}
