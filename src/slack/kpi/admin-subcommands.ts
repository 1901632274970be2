import { AppError } from '../../errors.js';
import { isKnownCurrency, parseRateWords, rateCommandExample } from '../../domain/money.js';
import { setCurrencyRate, setMyLanguage, setRole, updateWorkspaceSettings, type TWorkspaceSettingsPatch } from '../../domain/workspaces/admin-settings.js';
import { LOCALE_NAMES, resolveLocale, toLocale, type TLocale } from '../../i18n/locales.js';
import { CATALOGS, t, type TMessageKey } from '../../i18n/t.js';
import { formatNumberL } from '../../i18n/format.js';
import { localeOf } from '../locale-of.js';
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
      throw new AppError('INVALID_INPUT', 'Say who and which role (manager, rep or admin).', { example: '/kpi role @dana manager', i18n: { key: 'error.admin.roleArgs' } });
    }
    const target = await memberFor(deps, command.team_id, userId);
    const updated = await setRole({ db: deps.db, actor: member.rep, target: target.rep, role, now: deps.now(), requestKey: commandRequestKey(command) });
    const text = t(localeOf(member), 'admin.role.saved', { user: `<@${userId}>`, role: updated.role });
    return { text, blocks: [section(`:bust_in_silhouette: ${text}`)] };
  },
};

/** `0.00004` → also `1 USD = 25,000 VND`-style: the inverse, for a rate below 1. Numbers in the reader's locale. */
function rateLine(from: string, rate: number, reporting: string, locale: TLocale): string {
  const inverse = rate < 1 ? ` (1 ${reporting} = ${formatNumberL(locale, Number((1 / rate).toPrecision(6)))} ${from})` : '';
  return `1 ${from} = ${locale === 'en' ? rate : formatNumberL(locale, rate, 12)} ${reporting}${inverse}`;
}

export const rateSubcommand: TKpiSubcommand = {
  names: ['rate', 'rates'],
  help: '`/kpi rate EUR 1.08`: 1 EUR = 1.08 in the reporting currency; either way round with both codes, e.g. `/kpi rate USD 25400 VND` (admins only); `/kpi rate` lists rates',
  helpKey: 'help.rate',
  async run({ deps, command, member, args }) {
    const reporting = member.workspace.currency;
    const locale = localeOf(member);
    if (args.length === 0) {
      const rates = await listCurrencyRates({ db: deps.db, workspaceId: member.workspace.id });
      const lines = rates.map((r) => rateLine(r.fromCurrency, r.rate, reporting, locale));
      const text = lines.length
        ? `${t(locale, 'admin.rate.listHead', { currency: reporting })}\n${lines.join('\n')}`
        : t(locale, 'admin.rate.none', { currency: reporting, example: rateCommandExample(reporting === 'USD' ? 'EUR' : 'USD', reporting) });
      return { text, blocks: [section(text)] };
    }
    const words = parseRateWords(args, reporting);
    if (!words) {
      const other = args[0] && args[0].toUpperCase() !== reporting && isKnownCurrency(args[0].toUpperCase()) ? args[0].toUpperCase() : reporting === 'USD' ? 'EUR' : 'USD';
      throw new AppError(
        'INVALID_INPUT',
        `Say the currency and how much one unit of it is worth in ${reporting} (\`/kpi rate EUR 1.08\`), or write both codes either way round (\`/kpi rate USD 25400 VND\` = 1 USD is 25,400 VND); one of them must be ${reporting}.`,
        { example: rateCommandExample(other, reporting), i18n: { key: 'error.admin.rateArgs', values: { reporting } } },
      );
    }
    await setCurrencyRate({ db: deps.db, actor: member.rep, workspace: member.workspace, fromCurrency: words.fromCurrency, rate: words.rate, now: deps.now(), requestKey: commandRequestKey(command) });
    const from = words.fromCurrency.toUpperCase();
    const shownRate = Number(words.rate.toPrecision(6));
    const inverse = words.asTyped.startsWith(`1 ${from} `) ? '' : ` (1 ${from} = ${locale === 'en' ? shownRate : formatNumberL(locale, shownRate)} ${reporting})`;
    const text = escapeMrkdwn(t(locale, 'admin.rate.saved', { typed: words.asTyped, inverse, from }));
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
      if (!args[1]) throw new AppError('INVALID_INPUT', '"my-language" needs a value: en, vi, zh-CN or auto.', { example: '/kpi settings my-language vi', i18n: { key: 'error.admin.myLanguageValue' } });
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
        if (value === undefined) throw new AppError('INVALID_INPUT', `"${key}" needs a value.`, { example: '/kpi settings timezone Europe/Berlin', i18n: { key: 'error.admin.settingNeedsValue', values: { key } } });
        if (key === 'timezone' || key === 'tz') patch.timeZone = value;
        else if (key === 'currency') patch.currency = value.toUpperCase();
        else if (key === 'fiscal-year-start' || key === 'fiscal') patch.fiscalYearStartMonth = Number(value);
        else if (key === 'language' || key === 'lang') patch.language = value;
        else {
          throw new AppError('INVALID_INPUT', `"${key}" is not a setting. Settings: timezone, currency, fiscal-year-start, language (and my-language for your own answers).`, {
            example: '/kpi settings timezone Europe/Berlin',
            i18n: { key: 'error.admin.unknownSetting', values: { key } },
          });
        }
      }
      workspace = await updateWorkspaceSettings({ db: deps.db, actor: member.rep, workspace, patch, now: deps.now(), requestKey: commandRequestKey(command) });
    }
    const wsLocale = toLocale(workspace.language) ?? 'en';
    const mine = resolveLocale({ userChoice: member.rep.language, slackLocale: member.rep.slackLocale, workspaceLanguage: workspace.language });
    // The answer is in the asker's language as it is after this change (a workspace language change may move it).
    const stageName = (key: string) => (mine !== 'en' && `stage.${key}` in CATALOGS.en ? t(mine, `stage.${key}` as TMessageKey) : key);
    const text = escapeMrkdwn(
      t(mine, 'admin.settings.summary', {
        timeZone: workspace.timeZone,
        currency: workspace.currency,
        month: String(workspace.fiscalYearStartMonth),
        funnel: workspace.funnelStages.split(',').map(stageName).join(' → '),
        teamId: workspace.slackTeamId,
        role: member.rep.role,
      }),
    );
    const languageLine = t(mine, 'settings.languageLine', { language: LOCALE_NAMES[wsLocale], mine: LOCALE_NAMES[mine] });
    return { text: `${text}\n${languageLine}`, blocks: [section(`:gear: ${text}\n${languageLine}`)] };
  },
};

export const ADMIN_SUBCOMMANDS: TKpiSubcommand[] = [roleSubcommand, rateSubcommand, settingsSubcommand];
