import type { App, SlashCommand } from '@slack/bolt';
import { buildErrorMessage, section, withTypedText } from '../../blocks/messages.js';
import { escapeMrkdwn } from '../../blocks/limits.js';
import { actorFor, authorisedTeamId, findMember, readerFor, type AppDeps } from '../../context.js';
import { DEFAULT_LOCALE, resolveLocale, type TLocale } from '../../../i18n/locales.js';
import { localeOf } from '../../locale-of.js';
import { t } from '../../../i18n/t.js';
import { ackOnce } from '../ack-once.js';
import { tokenize } from '../../../domain/deals/parse-deal-command.js';
import { ADMIN_SUBCOMMANDS } from '../../kpi/admin-subcommands.js';
import { KPI_ANSWER_SUBCOMMANDS } from '../../kpi/kpi-subcommands.js';
import { leadsSubcommand } from '../../kpi/leads-subcommand.js';
import type { TKpiSubcommand } from '../../kpi/registry.js';
import { teamSubcommand } from '../../kpi/team-subcommand.js';
import { alertsSubcommand } from '../../kpi/alerts-subcommand.js';
import { weeklyDigestSubcommand } from '../../kpi/weekly-digest-subcommand.js';
import { crmSubcommand } from '../../kpi/crm-subcommand.js';
import type { SlackMessage } from '../../gateway.js';

/** Every `/kpi` subcommand, in help order. KPI answers are added ahead of the admin ones. */
export const KPI_SUBCOMMANDS: TKpiSubcommand[] = [...KPI_ANSWER_SUBCOMMANDS, leadsSubcommand, weeklyDigestSubcommand, alertsSubcommand, teamSubcommand, ...ADMIN_SUBCOMMANDS, crmSubcommand];

/** `/kpi help` in a language: each subcommand's line from the catalog (its English `help` otherwise). */
export function buildKpiHelp(subcommands: readonly TKpiSubcommand[] = KPI_SUBCOMMANDS, intro?: string, locale: TLocale = 'en'): SlackMessage {
  const lines = [intro ?? t(locale, 'help.intro'), ...subcommands.map((s) => (locale !== 'en' && s.helpKey ? t(locale, s.helpKey) : s.help))];
  const text = lines.join('\n');
  return { text, blocks: [section(text)] };
}

/**
 * `/kpi …`. KPI answers only read, so they are acknowledged at once and answered when ready;
 * every other subcommand may change something and is acknowledged with its first answer, after
 * its change is committed (see ackOnce).
 */
export async function handleKpiCommand(deps: AppDeps, command: SlashCommand, ack: () => Promise<void> = async () => undefined): Promise<void> {
  const acknowledge = ackOnce(ack);
  const reply = async (m: SlackMessage) => {
    await acknowledge();
    await deps.slack.respond(command.response_url, m);
  };
  // The language of a refusal: the asker's, once the app knows who asks.
  let locale: TLocale | null = null;
  try {
    const tokens = tokenize(command.text ?? '');
    const name = tokens[0]?.toLowerCase();
    const sub = name ? KPI_SUBCOMMANDS.find((s) => s.names.includes(name)) : undefined;
    if (!sub) {
      // Help reads only: the asker's language from what the app already knows of them.
      const known = await findMember(deps, command.team_id, command.user_id);
      const locale = resolveLocale({ userChoice: known.rep?.language, slackLocale: known.rep?.slackLocale, workspaceLanguage: known.workspace?.language });
      if (!name || name === 'help' || name === '?' || name === 'trợ-giúp' || name === '帮助') await reply(buildKpiHelp(KPI_SUBCOMMANDS, undefined, locale));
      else await reply(withTypedText(buildKpiHelp(KPI_SUBCOMMANDS, t(locale, 'help.unknown', { name: escapeMrkdwn(name) }), locale), `/kpi ${command.text}`, locale));
      return;
    }
    const readOnly = sub.readsOnly?.(tokens.slice(1)) ?? false;
    if (readOnly) await acknowledge();
    const member = readOnly ? await readerFor(deps, command.team_id, command.user_id) : await actorFor(deps, command.team_id, command.user_id);
    locale = localeOf(member);
    let answer;
    try {
      answer = await sub.run({ deps, command, member, args: tokens.slice(1) });
    } finally {
      // Anything but a KPI answer may have changed roles, teams or settings: forget cached members.
      if (!readOnly) deps.members.invalidateWorkspace(member.workspace.id);
    }
    if (answer) await reply(answer);
  } catch (e) {
    deps.logger.warn('/kpi refused', { code: (e as { code?: string }).code, error: e instanceof Error ? e.message : String(e) });
    const shownIn = locale ?? localeOf(await findMember(deps, command.team_id, command.user_id).catch(() => ({ rep: null, workspace: null })));
    await reply(withTypedText(buildErrorMessage(e, shownIn), `/kpi ${command.text ?? ''}`, shownIn)).catch((err: unknown) => deps.logger.error('could not answer /kpi', { error: err }));
  } finally {
    await acknowledge();
  }
}

export function registerKpiCommand(app: App, deps: AppDeps): void {
  app.command('/kpi', async ({ command, ack, context }) => {
    // Every subcommand reads `command.team_id`: pinned to the team the request was authorised for.
    await handleKpiCommand(deps, { ...command, team_id: authorisedTeamId(context) }, () => ack());
  });
}
