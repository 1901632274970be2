import type { App, ViewSubmitAction, SlackViewMiddlewareArgs, AllMiddlewareArgs } from '@slack/bolt';
import { isAppError } from '../../../errors.js';
import { logDeal } from '../../../domain/deals/log-deal.js';
import { funnelStages } from '../../../domain/deals/stages.js';
import { DEAL_MODAL_CALLBACK } from '../../blocks/deal-modal.js';
import { buildDealConfirmation, buildWonAnnouncement } from '../../blocks/deal-messages.js';
import { fieldErrorsFrom, parseDealForm, parseDealModalMeta, type TViewStateValues } from '../../forms/deal-form.js';
import { authorisedTeamId, findMember, memberFor, type AppDeps } from '../../context.js';
import { ackOnce } from '../ack-once.js';
import { announce } from '../commands/deal.js';
import { staleValueError } from '../../sealed-values.js';
import { errorText } from '../../blocks/messages.js';
import { localeOf, workspaceLocale } from '../../locale-of.js';
import { DEFAULT_LOCALE, type TLocale } from '../../../i18n/locales.js';
import { t } from '../../../i18n/t.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * Deal modal submitted: validate every field, store once (the view id or source message is the
 * idempotency key), then close the modal, confirm privately and announce a won deal. Problems
 * go back onto their fields, so the user keeps everything they typed.
 */
export async function handleDealModalSubmission(deps: AppDeps, { ack, body, view, context }: Pick<Args, 'ack' | 'body' | 'view' | 'context'>): Promise<void> {
  const teamId = authorisedTeamId(context);
  const userId = body.user.id;
  // Channel and source key are sealed for this team and user: a crafted one saves nothing.
  const opened = deps.sealer.open('deal-modal', { teamId, userId }, view.private_metadata);
  if (opened === null) {
    await ack({ response_action: 'errors', errors: { customer: staleValueError('form').message } });
    return;
  }
  const meta = parseDealModalMeta(opened);
  const acknowledge = ackOnce(() => ack());
  let logged;
  let locale: TLocale = DEFAULT_LOCALE;
  try {
    // Validate before anything is written or looked up in Slack: a refused form changes nothing.
    const known = await findMember(deps, teamId, userId);
    locale = localeOf(known);
    const now = deps.now();
    const form = parseDealForm(view.state.values as TViewStateValues, {
      defaultCurrency: known.workspace?.currency ?? deps.config.CURRENCY_DEFAULT,
      timeZone: known.workspace?.timeZone ?? deps.config.TZ_DEFAULT,
      now,
      stages: funnelStages(known.workspace?.funnelStages ?? ''),
      locale,
    });
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    const { workspace, rep } = await memberFor(deps, teamId, userId);
    locale = localeOf({ workspace, rep });
    const owner = form.ownerUserId === userId ? rep : (await memberFor(deps, teamId, form.ownerUserId)).rep;
    logged = await logDeal({
      db: deps.db,
      workspace,
      actor: rep,
      owner,
      input: form.input,
      requestKey: meta.sourceKey ?? `view:${view.id}`,
      source: meta.sourceKey ? 'slack-shortcut' : 'slack-modal',
      channelId: meta.channelId,
      now,
    });
    // Committed: only now does Slack hear "ok" and close the modal.
    await acknowledge();
    const confirmation = buildDealConfirmation({ deal: logged.deal, owner, verb: 'logged', timeZone: workspace.timeZone, duplicate: logged.duplicate, undoValue: deps.sealer.seal('undo', { teamId, userId }, String(logged.deal.id)), locale });
    await deps.slack.postPrivate(meta.channelId ?? undefined, userId, confirmation).catch((e: unknown) => deps.logger.warn('confirmation not delivered', { error: e }));
    if (!logged.duplicate && logged.deal.status === 'won' && form.announce) {
      const deal = logged.deal;
      await announce(deps, meta.channelId, () => buildWonAnnouncement(deal, owner, workspaceLocale(workspace)));
    }
  } catch (e) {
    const errors = fieldErrorsFrom(e, locale) ?? { customer: isAppError(e) ? errorText(e, locale) : t(locale, 'deal.form.failed') };
    if (!isAppError(e)) deps.logger.error('deal modal failed', { error: e });
    if (!logged) await ack({ response_action: 'errors', errors }).catch(() => undefined);
  }
}

export function registerDealModal(app: App, deps: AppDeps): void {
  app.view<ViewSubmitAction>({ callback_id: DEAL_MODAL_CALLBACK, type: 'view_submission' }, async (args) => handleDealModalSubmission(deps, args));
}
