import type { App, BlockButtonAction } from '@slack/bolt';
import { buildErrorMessage } from '../../blocks/messages.js';
import { KPI_SHARE_ACTION } from '../../blocks/kpi/common.js';
import { authorisedTeamId, findMember, readerFor, type AppDeps } from '../../context.js';
import { localeOf } from '../../locale-of.js';
import type { SlackMessage } from '../../gateway.js';
import { buildKpiAnswer } from '../../kpi/kpi-answer.js';
import { channelLocale, DEFAULT_LOCALE } from '../../../i18n/locales.js';
import { decodeKpiShareValue } from '../../kpi/share-value.js';
import { staleValueError } from '../../sealed-values.js';

/**
 * *Share in channel* on a private KPI answer: recomputes the same answer (same KPI, period as
 * first read, scope, target) with today's data and posts it to the button's response_url as
 * `in_channel` with "Shared by <@user>". The private copy stays (`replace_original: false`).
 * Failures are answered privately.
 */
export async function handleShareKpi(deps: AppDeps, body: BlockButtonAction, teamId: string): Promise<void> {
  const responseUrl = body.response_url;
  const privately = async (m: SlackMessage) => {
    if (responseUrl) await deps.slack.respond(responseUrl, { ...m, replaceOriginal: false });
    else await deps.slack.postPrivate(body.channel?.id, body.user.id, m);
  };
  try {
    // Sealed for this workspace: a crafted KPI, period or scope is refused.
    const opened = deps.sealer.open('kpi-share', { teamId }, body.actions[0]?.value);
    if (opened === null) throw staleValueError();
    const ref = decodeKpiShareValue(opened);
    const { workspace } = await readerFor(deps, teamId, body.user.id);
    const answer = await buildKpiAnswer({
      db: deps.db,
      workspace,
      kpi: ref.kpi,
      periodInput: ref.periodInput || ref.periodKey,
      periodAnchor: ref.anchor,
      scope: ref.scope,
      targetMinor: ref.targetMinor,
      now: deps.now(),
      quickchartUrl: deps.config.QUICKCHART_URL,
      sharedBy: body.user.id,
      // A channel has many readers: the workspace's language.
      locale: channelLocale({ workspaceLanguage: workspace.language }),
    });
    if (responseUrl) await deps.slack.respond(responseUrl, { ...answer.message, inChannel: true, replaceOriginal: false });
    else if (body.channel?.id) await deps.slack.postMessage(body.channel.id, answer.message);
    else await privately(answer.message);
  } catch (e) {
    deps.logger.warn('kpi share refused', { code: (e as { code?: string }).code, error: e instanceof Error ? e.message : String(e) });
    // The refusal is private: the sharer's own language.
    const locale = await findMember(deps, teamId, body.user.id).then(localeOf, () => DEFAULT_LOCALE);
    await privately(buildErrorMessage(e, locale)).catch((err: unknown) => deps.logger.error('could not answer kpi share', { error: err }));
  }
}

export function registerShareKpi(app: App, deps: AppDeps): void {
  app.action<BlockButtonAction>(KPI_SHARE_ACTION, async ({ ack, body, context }) => {
    await ack();
    await handleShareKpi(deps, body, authorisedTeamId(context));
  });
}
