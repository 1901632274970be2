/**
 * The languages the app speaks and how a person's language is chosen (issue #12).
 *
 * Private answers: the person's own choice (`/kpi settings my-language vi`), else their Slack
 * locale (users.info `include_locale`, kept on their rep from their first contact), else the
 * workspace's language (`/kpi settings language vi`), else English. Channel posts (digests,
 * alerts, shared answers): the workspace's language.
 */

export const LOCALES = ['en', 'vi', 'zh-CN'] as const;
export type TLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: TLocale = 'en';

/** The BCP 47 tag handed to Intl for each locale. */
export const INTL_TAG: Readonly<Record<TLocale, string>> = { en: 'en-US', vi: 'vi-VN', 'zh-CN': 'zh-CN' };

/** What each language is called in itself (settings answers, help). */
export const LOCALE_NAMES: Readonly<Record<TLocale, string>> = { en: 'English', vi: 'Tiếng Việt', 'zh-CN': '简体中文' };

/**
 * A supported locale from what a person typed or Slack reports (`vi-VN`, `zh_CN`, `zh-Hans`,
 * `en-GB`, `tiếng việt`, `中文`), or null. Traditional Chinese (`zh-TW`, `zh-HK`) is not mapped to
 * Simplified: those readers fall back to the workspace's language.
 *
 * @example
 * toLocale('vi-VN'); // 'vi'
 * toLocale('zh_CN'); // 'zh-CN'
 * toLocale('zh-TW'); // null
 * toLocale('en-GB'); // 'en'
 */
export function toLocale(input: string | null | undefined): TLocale | null {
  if (!input) return null;
  const s = input.trim().toLowerCase().replace(/_/g, '-');
  if (s === '') return null;
  if (s === 'vi' || s.startsWith('vi-') || s === 'vietnamese' || s === 'tiếng việt' || s === 'tieng viet') return 'vi';
  if (s === 'zh' || s === 'zh-cn' || s === 'zh-sg' || s.startsWith('zh-hans') || s === 'chinese' || s === '中文' || s === '简体中文' || s === '简体') return 'zh-CN';
  if (s === 'en' || s.startsWith('en-') || s === 'english') return 'en';
  return null;
}

export interface TLocaleSources {
  /** The person's own choice (`Rep.language`). */
  readonly userChoice?: string | null | undefined;
  /** Slack's locale of the person (`Rep.slackLocale`). */
  readonly slackLocale?: string | null | undefined;
  /** The workspace's language (`Workspace.language`). */
  readonly workspaceLanguage?: string | null | undefined;
}

/**
 * The locale of a private answer: own choice, else Slack locale, else workspace, else English.
 *
 * @example
 * resolveLocale({ userChoice: null, slackLocale: 'vi-VN', workspaceLanguage: 'en' }); // 'vi'
 * resolveLocale({ userChoice: 'zh-CN', slackLocale: 'vi-VN', workspaceLanguage: 'en' }); // 'zh-CN'
 * resolveLocale({ slackLocale: 'zh-TW', workspaceLanguage: 'vi' }); // 'vi'
 */
export function resolveLocale(s: TLocaleSources): TLocale {
  return toLocale(s.userChoice) ?? toLocale(s.slackLocale) ?? toLocale(s.workspaceLanguage) ?? DEFAULT_LOCALE;
}

/**
 * The locale of a channel post: the workspace's language only (a channel has many readers).
 *
 * @example
 * channelLocale({ workspaceLanguage: 'zh-CN' }); // 'zh-CN'
 */
export function channelLocale(s: Pick<TLocaleSources, 'workspaceLanguage'>): TLocale {
  return toLocale(s.workspaceLanguage) ?? DEFAULT_LOCALE;
}
