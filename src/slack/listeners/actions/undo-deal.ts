import type { App, BlockButtonAction } from '@slack/bolt';
import { undoLastChange } from '../../../domain/deals/undo-last-change.js';
import { UNDO_ACTION } from '../../blocks/deal-messages.js';
import { buildUndoAnswer } from '../../blocks/refund-messages.js';
import { buildErrorMessage } from '../../blocks/messages.js';
import { authorisedTeamId, findMember, type AppDeps } from '../../context.js';
import { AppError } from '../../../errors.js';
import { ackOnce } from '../ack-once.js';
import type { SlackMessage } from '../../gateway.js';
import { actionRequestKey } from '../../request-keys.js';
import { staleValueError } from '../../sealed-values.js';
import { localeOf } from '../../locale-of.js';
import { DEFAULT_LOCALE, type TLocale } from '../../../i18n/locales.js';

/** The Undo button on a deal confirmation: reverts the clicker's last change of that deal. */
export async function handleUndoDeal(deps: AppDeps, body: BlockButtonAction, teamId: string, ack: () => Promise<void> = async () => undefined): Promise<void> {
  // The undo is committed before Slack hears "ok" (see ackOnce).
  const acknowledge = ackOnce(ack);
  // The deal id is sealed for this team and user: a crafted value cannot aim at another deal.
  const opened = deps.sealer.open('undo', { teamId, userId: body.user.id }, body.actions[0]?.value);
  const dealId = Number(opened);
  const reply = async (m: SlackMessage, replaceOriginal: boolean) => {
    await acknowledge();
    if (body.response_url) await deps.slack.respond(body.response_url, { ...m, replaceOriginal });
    else await deps.slack.postPrivate(body.channel?.id, body.user.id, m);
  };
  let locale: TLocale = DEFAULT_LOCALE;
  try {
    if (opened === null || !Number.isSafeInteger(dealId)) throw staleValueError();
    const known = await findMember(deps, teamId, body.user.id);
    locale = localeOf(known);
    const { rep } = known;
    if (!rep) throw new AppError('NOTHING_TO_UNDO', 'That change was already undone, or it is not yours to undo.', { i18n: { key: 'error.undo.notYours' } });
    const undone = await undoLastChange({ db: deps.db, actor: rep, now: deps.now(), requestKey: actionRequestKey(body), dealId });
    await reply(buildUndoAnswer(undone, locale), true);
  } catch (e) {
    await reply(buildErrorMessage(e, locale), false).catch((err: unknown) => deps.logger.error('could not answer undo', { error: err }));
  } finally {
    await acknowledge();
  }
}

export function registerUndoDeal(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(UNDO_ACTION, async ({ ack, body, context }) => {
    await handleUndoDeal(deps, body, authorisedTeamId(context), () => ack());
  });
}
