import { AppError } from '../../errors.js';
import { isKnownCurrency, parseRateWords, rateCommandExample } from '../../domain/money.js';
import { setCurrencyRate, setMyLanguage, setRole, updateWorkspaceSettings, type TWorkspaceSettingsPatch } from '../../domain/workspaces/admin-settings.js';
import { LOCALE_NAMES, resolveLocale, toLocale } from '../../i18n/locales.js';
import { t } from '../../i18n/t.js';
import { listCurrencyRates } from '../../domain/workspaces/lookups.js';
import { section } from '../blocks/messages.js';
import { memberFor } from '../context.js';
import { escapeMrkdwn } from '../blocks/limits.js';
import { parseUserMention } from '../mentions.js';
import { commandRequestKey } from '../request-keys.js';
import type { TKpiSubcommand } from './registry.js';

export const roleSubcommand: TKpiSubcommand = {
  names: ['role'],
  help: '`/kpi role @user manager|rep|admin`: grant a role (admins only)',
  helpKey: 'help.role',
  async run({ deps, command, member, args }) {
    const userId = parseUserMention(args[0]);
    const role = args[1]?.toLowerCase();
    if (!userId || (role !== 'manager' && role !== 'rep' && role !== 'admin')) {
      throw new AppError('INVALID_INPUT', 'Say who and which role (manager, rep or admin).', { example: '/kpi role @dana manager' });
    }
    const target = await memberFor(deps, command.team_id, userId);
    const updated = await setRole({ db: deps.db, actor: member.rep, target: target.rep, role, now: deps.now(), requestKey: commandRequestKey(command) });
    const text = `<@${userId}> is now ${updated.role}.`;
    return { text, blocks: [section(`:bust_in_silhouette: ${text}`)] };
  },
};

/** `0.00004` → also `1 USD = 25,000 VND`-style: the inverse, for a rate below 1. */
function rateLine(from: string, rate: number, reporting: string): string {
  const inverse = rate < 1 ? ` (1 ${reporting} = ${Number((1 / rate).toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 })} ${from})` : '';
  return `1 ${from} = ${rate} ${reporting}${inverse}`;
}

export const rateSubcommand: TKpiSubcommand = {
  names: ['rate', 'rates'],
  help: '`/kpi rate EUR 1.08`: 1 EUR = 1.08 in the reporting currency; either way round with both codes, e.g. `/kpi rate USD 25400 VND` (admins only); `/kpi rate` lists rates',
  helpKey: 'help.rate',
  async run({ deps, command, member, args }) {
    const reporting = member.workspace.currency;
    if (args.length === 0) {
      const rates = await listCurrencyRates({ db: deps.db, workspaceId: member.workspace.id });
      const lines = rates.map((r) => rateLine(r.fromCurrency, r.rate, reporting));
      const text = lines.length
        ? `Conversion rates to ${reporting}:\n${lines.join('\n')}`
        : `No conversion rates yet: every deal must be in ${reporting}. Add one with \`${rateCommandExample(reporting === 'USD' ? 'EUR' : 'USD', reporting)}\`.`;
      return { text, blocks: [section(text)] };
    }
    const words = parseRateWords(args, reporting);
    if (!words) {
      const other = args[0] && args[0].toUpperCase() !== reporting && isKnownCurrency(args[0].toUpperCase()) ? args[0].toUpperCase() : reporting === 'USD' ? 'EUR' : 'USD';
      throw new AppError(
        'INVALID_INPUT',
        `Say the currency and how much one unit of it is worth in ${reporting} (\`/kpi rate EUR 1.08\`), or write both codes either way round (\`/kpi rate USD 25400 VND\` = 1 USD is 25,400 VND); one of them must be ${reporting}.`,
        { example: rateCommandExample(other, reporting) },
      );
    }
    await setCurrencyRate({ db: deps.db, actor: member.rep, workspace: member.workspace, fromCurrency: words.fromCurrency, rate: words.rate, now: deps.now(), requestKey: commandRequestKey(command) });
    const from = words.fromCurrency.toUpperCase();
    const text = escapeMrkdwn(`Saved: ${words.asTyped}${words.asTyped.startsWith(`1 ${from} `) ? '' : ` (1 ${from} = ${Number(words.rate.toPrecision(6))} ${reporting})`}. Deals in ${from} are converted at this rate when logged.`);
    return { text, blocks: [section(`:currency_exchange: ${text}`)] };
  },
};

export const settingsSubcommand: TKpiSubcommand = {
  names: ['settings', 'config'],
  help: t('en', 'help.settings'),
  helpKey: 'help.settings',
  async run({ deps, command, member, args }) {
    let workspace = member.workspace;
    if (args[0]?.toLowerCase() === 'my-language') {
      if (!args[1]) throw new AppError('INVALID_INPUT', '"my-language" needs a value: en, vi, zh-CN or auto.', { example: '/kpi settings my-language vi' });
      // Anyone may choose their own language: someone the app has not met yet (the read-only
      // stand-in, rep id 0) is recorded first, so the choice has a rep to live on.
      const actor = member.rep.id === 0 ? (await memberFor(deps, member.workspace.slackTeamId ?? command.team_id, command.user_id)).rep : member.rep;
      const rep = await setMyLanguage({ db: deps.db, actor, language: args[1], now: deps.now(), requestKey: commandRequestKey(command) });
      const locale = resolveLocale({ userChoice: rep.language, slackLocale: rep.slackLocale, workspaceLanguage: workspace.language });
      const text = t(locale, rep.language ? 'settings.myLanguageSaved' : 'settings.myLanguageAuto', { language: LOCALE_NAMES[locale] });
      return { text, blocks: [section(text)] };
    }
    if (args.length > 0) {
      const patch: TWorkspaceSettingsPatch = {};
      for (let i = 0; i < args.length; i += 2) {
        const key = args[i]!.toLowerCase();
        const value = args[i + 1];
        if (value === undefined) throw new AppError('INVALID_INPUT', `"${key}" needs a value.`, { example: '/kpi settings timezone Europe/Berlin' });
        if (key === 'timezone' || key === 'tz') patch.timeZone = value;
        else if (key === 'currency') patch.currency = value.toUpperCase();
        else if (key === 'fiscal-year-start' || key === 'fiscal') patch.fiscalYearStartMonth = Number(value);
        else if (key === 'language' || key === 'lang') patch.language = value;
        else throw new AppError('INVALID_INPUT', `"${key}" is not a setting. Settings: timezone, currency, fiscal-year-start, language (and my-language for your own answers).`, { example: '/kpi settings timezone Europe/Berlin' });
      }
      workspace = await updateWorkspaceSettings({ db: deps.db, actor: member.rep, workspace, patch, now: deps.now(), requestKey: commandRequestKey(command) });
    }
    const text = escapeMrkdwn(`Workspace settings: time zone ${workspace.timeZone}, reporting currency ${workspace.currency}, fiscal year starts in month ${workspace.fiscalYearStartMonth}, funnel ${workspace.funnelStages.split(',').join(' → ')} → won. Slack team id ${workspace.slackTeamId} (for \`npm run import -- FILE --workspace ${workspace.slackTeamId}\`). Your role: ${member.rep.role}.`);
    const wsLocale = toLocale(workspace.language) ?? 'en';
    const mine = resolveLocale({ userChoice: member.rep.language, slackLocale: member.rep.slackLocale, workspaceLanguage: workspace.language });
    const languageLine = t('en', 'settings.languageLine', { language: LOCALE_NAMES[wsLocale], mine: LOCALE_NAMES[mine] });
    return { text: `${text}\n${languageLine}`, blocks: [section(`:gear: ${text}\n${languageLine}`)] };
  },
};

export const ADMIN_SUBCOMMANDS: TKpiSubcommand[] = [roleSubcommand, rateSubcommand, settingsSubcommand];
