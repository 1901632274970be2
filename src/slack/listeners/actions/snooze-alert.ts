import type { App, BlockButtonAction } from '@slack/bolt';
import { snoozeAlert } from '../../../domain/alerts/snooze-alert.js';
import { alertTitle } from '../../../domain/alerts/rules.js';
import { findAlertEvent } from '../../../domain/alerts/find-alert-event.js';
import { AppError } from '../../../errors.js';
import { ALERT_SNOOZE_ACTION_PATTERN, buildSnoozedMessage, parseSnoozeValue } from '../../blocks/alerts.js';
import { buildErrorMessage } from '../../blocks/messages.js';
import { authorisedTeamId, findMember, memberFor, type AppDeps } from '../../context.js';
import { localeOf, workspaceLocale } from '../../locale-of.js';
import { ackOnce } from '../ack-once.js';
import type { SlackMessage } from '../../gateway.js';
import { actionRequestKey } from '../../request-keys.js';
import { staleValueError } from '../../sealed-values.js';

/**
 * The *Snooze 1 week* button on an alert message (managers and admins): creates or extends the
 * snooze of that condition (or of the whole rule, from the summary message) to now + 7 days, and
 * replaces the alert with "Snoozed by @user until …" in the workspace's language (a channel
 * message). Anyone else gets a private explanation in their own language and the alert stays as it was.
 */
export async function handleSnoozeAlert(deps: AppDeps, body: BlockButtonAction, teamId: string, ack: () => Promise<void> = async () => undefined): Promise<void> {
  // The snooze is committed before Slack hears "ok" (see ackOnce).
  const acknowledge = ackOnce(ack);
  const action = body.actions[0];
  const channelId = body.channel?.id ?? body.container?.channel_id;
  const messageTs = body.container?.message_ts ?? body.message?.ts;
  const replace = async (m: SlackMessage) => {
    await acknowledge();
    if (body.response_url) await deps.slack.respond(body.response_url, { ...m, replaceOriginal: true });
    else if (channelId && messageTs) await deps.slack.updateMessage(channelId, messageTs, m);
  };
  const tellPrivately = async (m: SlackMessage) => {
    await acknowledge();
    if (body.response_url) await deps.slack.respond(body.response_url, { ...m, replaceOriginal: false });
    else await deps.slack.postPrivate(channelId, body.user.id, m);
  };
  try {
    const target = parseSnoozeValue(action?.value);
    if (!target) {
      throw new AppError('INVALID_INPUT', 'This button no longer says which alert to snooze. Use `/kpi alerts snooze <rule>` instead.', { example: '/kpi alerts snooze winrate-drop 1w', i18n: { key: 'error.alerts.staleButton' } });
    }
    const { workspace, rep } = await memberFor(deps, teamId, body.user.id);
    // Looked up, not trusted: a condition this workspace never alerted on is not a button we sent.
    const wholeRule = target.conditionKey === '*';
    const event = wholeRule ? null : await findAlertEvent({ db: deps.db, workspaceId: workspace.id, rule: target.rule, conditionKey: target.conditionKey });
    if (!wholeRule && !event) throw staleValueError();
    const now = deps.now();
    const snooze = await snoozeAlert({ db: deps.db, actor: rep, workspace, rule: target.rule, conditionKey: target.conditionKey, now, requestKey: actionRequestKey(body) });
    const channelLanguage = workspaceLocale(workspace);
    await replace(
      buildSnoozedMessage({
        userId: body.user.id,
        until: snooze.until,
        timeZone: workspace.timeZone,
        title: alertTitle(target.rule, channelLanguage),
        message: event?.message ?? null,
        wholeRule,
        locale: channelLanguage,
      }),
    );
  } catch (e) {
    deps.logger.warn('alert snooze refused', { code: (e as { code?: string }).code, error: e instanceof Error ? e.message : String(e) });
    // The refusal is private: the presser's language, from what the app knows of them.
    const known = await findMember(deps, teamId, body.user.id).catch(() => ({ rep: null, workspace: null }));
    await tellPrivately(buildErrorMessage(e, localeOf(known))).catch((err: unknown) => deps.logger.error('could not answer the snooze button', { error: err }));
  } finally {
    await acknowledge();
  }
}

const registered = new WeakSet<object>();

/** Registers the Snooze buttons' listener (once per app, whoever calls it). */
export function registerSnoozeAlert(app: App, deps: AppDeps): void {
  if (registered.has(app)) return;
  registered.add(app);
  app.action<BlockButtonAction>({ action_id: ALERT_SNOOZE_ACTION_PATTERN }, async ({ ack, body, context }) => {
    await handleSnoozeAlert(deps, body, authorisedTeamId(context), () => ack());
  });
}
