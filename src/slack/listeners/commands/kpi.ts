import type { App, SlashCommand } from '@slack/bolt';
import { buildErrorMessage, section, withTypedText } from '../../blocks/messages.js';
import { escapeMrkdwn } from '../../blocks/limits.js';
import { actorFor, authorisedTeamId, findMember, readerFor, type AppDeps } from '../../context.js';
import { DEFAULT_LOCALE, type TLocale } from '../../../i18n/locales.js';
import { t } from '../../../i18n/t.js';
import { aliasList, englishKpiTokens, KPI_WORDS } from '../../../domain/command-aliases.js';
import { localeOf } from '../../locale-of.js';
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

/**
 * `/kpi help` in a language: each subcommand's line from the catalog (its English `help`
 * otherwise); in Vietnamese and Chinese, a last line with the KPI names of that language.
 */
export function buildKpiHelp(subcommands: readonly TKpiSubcommand[] = KPI_SUBCOMMANDS, intro?: string, locale: TLocale = 'en'): SlackMessage {
  const lines = [intro ?? t(locale, 'help.intro'), ...subcommands.map((s) => (locale !== 'en' && s.helpKey ? t(locale, s.helpKey) : s.help))];
  const text = lines.join('\n');
  if (locale === 'en') return { text, blocks: [section(text)] };
  // Its own block: the help above already fills most of a section.
  const names = t(locale, 'help.localNames', { names: aliasList(KPI_WORDS, locale, (k) => k !== 'help') });
  return { text: `${text}\n${names}`, blocks: [section(text), section(names)] };
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
  // Refusals before anything is known of the asker are in English; then in their language.
  let locale: TLocale = DEFAULT_LOCALE;
  try {
    // A KPI name in Vietnamese or Chinese (`doanh thu`, `赢单率`) reads as its English name.
    const typed = tokenize(command.text ?? '');
    const tokens = englishKpiTokens(typed);
    const name = tokens[0]?.toLowerCase();
    const sub = name ? KPI_SUBCOMMANDS.find((s) => s.names.includes(name)) : undefined;
    // The asker's language from what the app already knows of them (a read writes nothing).
    const known = await findMember(deps, command.team_id, command.user_id);
    locale = localeOf(known);
    if (!sub) {
      if (!name || name === 'help') await reply(buildKpiHelp(KPI_SUBCOMMANDS, undefined, locale));
      else await reply(withTypedText(buildKpiHelp(KPI_SUBCOMMANDS, t(locale, 'help.unknown', { name: escapeMrkdwn(typed[0] ?? name) }), locale), `/kpi ${command.text}`, locale));
      return;
    }
    const readOnly = sub.readsOnly?.(tokens.slice(1)) ?? false;
    if (readOnly) await acknowledge();
    const member = readOnly ? await readerFor(deps, command.team_id, command.user_id, known) : await actorFor(deps, command.team_id, command.user_id, known);
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
    await reply(withTypedText(buildErrorMessage(e, locale), `/kpi ${command.text ?? ''}`, locale)).catch((err: unknown) => deps.logger.error('could not answer /kpi', { error: err }));
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
