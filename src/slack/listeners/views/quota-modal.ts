import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { isAppError } from '../../../errors.js';
import { assertCanSetQuotas, setQuota } from '../../../domain/quotas/set-quota.js';
import { buildQuotaConfirmation, type TQuotaWho } from '../../blocks/quota-messages.js';
import { QUOTA_FIELDS, QUOTA_MODAL_CALLBACK } from '../../blocks/quota-modal.js';
import { authorisedTeamId, findMember, memberFor, type AppDeps } from '../../context.js';
import { localeOf } from '../../locale-of.js';
import { DEFAULT_LOCALE, type TLocale } from '../../../i18n/locales.js';
import { t } from '../../../i18n/t.js';
import type { TViewStateValues } from '../../forms/deal-form.js';
import { parseQuotaForm, parseQuotaModalMeta } from '../../forms/quota-form.js';
import { publishHomeFor } from '../events/app-home-opened.js';
import { viewRequestKey } from '../../request-keys.js';
import { isAlreadyDone } from '../../../domain/once-per-request.js';
import { findTeamName } from '../../../domain/workspaces/lookups.js';
import { buildErrorMessage, errorExample, errorText } from '../../blocks/messages.js';
import { staleValueError } from '../../sealed-values.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const FIELD_OF: Readonly<Record<string, string>> = {
  rep: QUOTA_FIELDS.rep,
  team: QUOTA_FIELDS.team,
  amount: QUOTA_FIELDS.amount,
  currency: QUOTA_FIELDS.currency,
  period_kind: QUOTA_FIELDS.periodKind,
  period_specific: QUOTA_FIELDS.periodSpecific,
};

/** A domain refusal placed on the field it is about (the rep field when it is about who may). */
function fieldErrorsOf(e: unknown, hasTeamField: boolean, locale: TLocale): Record<string, string> {
  if (!isAppError(e)) return { [QUOTA_FIELDS.amount]: t(locale, 'ops.quotaModal.failed') };
  let field = (e.field && FIELD_OF[e.field]) || QUOTA_FIELDS.rep;
  if (field === QUOTA_FIELDS.team && !hasTeamField) field = QUOTA_FIELDS.rep;
  const message = errorText(e, locale);
  const example = errorExample(e, locale);
  return { [field]: example && e.code !== 'FORBIDDEN' ? t(locale, 'ops.quotaModal.withExample', { message, example }) : message };
}

/**
 * Quota modal submitted: validate every field (problems go back inline, and Slack keeps what
 * was typed), check the submitter may set quotas, save through `setQuota`, close the modal and
 * confirm privately. Opened from the App Home, the Home is refreshed.
 */
export async function handleQuotaModalSubmission(deps: AppDeps, { ack, body, view, context }: Pick<Args, 'ack' | 'body' | 'view' | 'context'>): Promise<void> {
  const teamId = authorisedTeamId(context);
  const userId = body.user.id;
  const values = view.state.values as TViewStateValues;
  const hasTeamField = QUOTA_FIELDS.team in values;
  // Channel and origin are sealed for this team and user: a crafted one saves nothing.
  const opened = deps.sealer.open('quota-modal', { teamId, userId }, view.private_metadata);
  if (opened === null) {
    const known = await findMember(deps, teamId, userId).catch(() => null);
    await ack({ response_action: 'errors', errors: { [QUOTA_FIELDS.amount]: errorText(staleValueError('form'), known ? localeOf(known) : DEFAULT_LOCALE) } });
    return;
  }
  const meta = parseQuotaModalMeta(opened);
  let acked = false;
  let locale: TLocale = DEFAULT_LOCALE;
  try {
    const member = await memberFor(deps, teamId, userId);
    const { workspace, rep } = member;
    locale = localeOf(member);
    assertCanSetQuotas(rep);
    const now = deps.now();
    const form = parseQuotaForm(values, { reportingCurrency: workspace.currency, period: { now, timeZone: workspace.timeZone, fiscalYearStartMonth: workspace.fiscalYearStartMonth }, locale });
    if (!form.ok) {
      acked = true;
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    let who: TQuotaWho;
    let target: { repId: number } | { teamId: number };
    if (form.target.kind === 'user') {
      const targetRep = form.target.userId === userId ? rep : (await memberFor(deps, teamId, form.target.userId)).rep;
      who = { kind: 'rep', slackUserId: targetRep.slackUserId, name: targetRep.name };
      target = { repId: targetRep.id };
    } else {
      const teamName = await findTeamName({ db: deps.db, workspaceId: workspace.id, teamId: form.target.teamId });
      who = { kind: 'team', name: teamName ?? '' };
      target = { teamId: form.target.teamId };
    }
    const result = await setQuota({ db: deps.db, actor: rep, workspace, target, amountMinor: form.amountMinor, currency: form.currency, period: form.period, now, requestKey: viewRequestKey(view) });
    acked = true;
    await ack();
    const confirmation = buildQuotaConfirmation({
      who,
      amountMinor: result.quota.amountMinor,
      currency: result.quota.currency,
      entered: result.entered,
      period: form.period,
      replacedMinor: result.previous && result.changed ? result.previous.amountMinor : null,
      changed: result.changed,
      locale,
    });
    await deps.slack.postPrivate(meta.channelId ?? undefined, userId, confirmation).catch((e: unknown) => deps.logger.warn('quota confirmation not delivered', { error: e }));
    if (meta.origin === 'home') await publishHomeFor(deps, teamId, userId).catch((e: unknown) => deps.logger.warn('App Home not refreshed', { error: e }));
  } catch (e) {
    if (isAlreadyDone(e) && !acked) {
      // The same submission delivered again: close the modal and say so, nothing was saved twice.
      acked = true;
      await ack();
      await deps.slack.postPrivate(meta.channelId ?? undefined, userId, buildErrorMessage(e, locale)).catch((err: unknown) => deps.logger.warn('quota answer not delivered', { error: err }));
      return;
    }
    if (!isAppError(e)) deps.logger.error('quota modal failed', { error: e instanceof Error ? e.message : String(e) });
    if (!acked) await ack({ response_action: 'errors', errors: fieldErrorsOf(e, hasTeamField, locale) });
  }
}

export function registerQuotaModal(app: App, deps: AppDeps): void {
  app.view<ViewSubmitAction>({ callback_id: QUOTA_MODAL_CALLBACK, type: 'view_submission' }, async (args) => handleQuotaModalSubmission(deps, args));
}
