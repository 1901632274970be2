import type { App, BlockButtonAction } from '@slack/bolt';
import { assertCanManageCrm } from '../../../domain/crm/crm-slack-settings.js';
import { disconnectCrm, readCrmStatus } from '../../../domain/crm/manage-crm.js';
import { AppError } from '../../../errors.js';
import { buildCrmDisconnected, CRM_DISCONNECT_ACTION } from '../../blocks/crm-admin.js';
import { buildErrorMessage } from '../../blocks/messages.js';
import { authorisedTeamId, actorFor, findMember, type AppDeps } from '../../context.js';
import type { TLocale } from '../../../i18n/locales.js';
import { localeOf } from '../../locale-of.js';
import type { SlackMessage } from '../../gateway.js';
import { staleValueError } from '../../sealed-values.js';
import { ackOnce } from '../ack-once.js';

/**
 * *Disconnect* confirmed (the button of `/kpi crm disconnect`, sealed for this admin): the sync
 * stops and the credentials are wiped before Slack hears "ok"; the prompt is replaced by the answer.
 */
export async function handleCrmDisconnect(deps: AppDeps, body: BlockButtonAction, teamId: string, ack: () => Promise<void> = async () => undefined): Promise<void> {
  const acknowledge = ackOnce(ack);
  const opened = deps.sealer.open('crm-disconnect', { teamId, userId: body.user.id }, body.actions[0]?.value);
  const reply = async (m: SlackMessage, replaceOriginal: boolean) => {
    await acknowledge();
    if (body.response_url) await deps.slack.respond(body.response_url, { ...m, replaceOriginal });
    else await deps.slack.postPrivate(body.channel?.id, body.user.id, m);
  };
  let locale: TLocale = 'en';
  try {
    locale = localeOf(await findMember(deps, teamId, body.user.id));
    if (opened === null) throw staleValueError();
    const member = await actorFor(deps, teamId, body.user.id);
    assertCanManageCrm(member.rep);
    const now = deps.now();
    const status = await readCrmStatus({ db: deps.db, workspaceId: member.workspace.id, now });
    if (!status || status.status === 'disconnected' || status.vendor !== opened) throw new AppError('NOT_FOUND', 'That CRM is not connected any more: nothing to disconnect.', { i18n: { key: 'error.crm.nothingToDisconnect' } });
    await disconnectCrm({ db: deps.db, workspaceId: member.workspace.id, now });
    await reply(buildCrmDisconnected(status.vendor, locale), true);
  } catch (e) {
    await reply(buildErrorMessage(e, locale), false).catch((err: unknown) => deps.logger.error('could not answer CRM disconnect', { error: err instanceof Error ? err.message : String(err) }));
  } finally {
    await acknowledge();
  }
}

export function registerCrmDisconnect(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(CRM_DISCONNECT_ACTION, async ({ ack, body, context }) => {
    await handleCrmDisconnect(deps, body, authorisedTeamId(context), () => ack());
  });
  // The Salesforce link button opens a URL; Slack still sends an action, answered with nothing.
  app.action<BlockButtonAction>('crm_salesforce_open', async ({ ack }) => {
    await ack();
  });
}
