import { channelLocale, resolveLocale, type TLocale } from '../i18n/locales.js';
import type { Rep, Workspace } from '../storage/models.js';

/**
 * The language of a private answer to someone the app may or may not know yet: their choice,
 * their Slack locale, the workspace's language, English (src/i18n/locales.ts).
 */
export function localeOf(m: { rep?: Pick<Rep, 'language' | 'slackLocale'> | null; workspace?: Pick<Workspace, 'language'> | null }): TLocale {
  return resolveLocale({ userChoice: m.rep?.language, slackLocale: m.rep?.slackLocale, workspaceLanguage: m.workspace?.language });
}

/** The language of a channel post: the workspace's. */
export function workspaceLocale(workspace: Pick<Workspace, 'language'> | null | undefined): TLocale {
  return channelLocale({ workspaceLanguage: workspace?.language });
}
