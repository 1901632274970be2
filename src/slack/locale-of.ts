import { channelLocale, resolveLocale, type TLocale } from '../i18n/locales.js';
import type { Rep, Workspace } from '../storage/models.js';
import type { Db } from '../storage/db.js';
import type { Logger } from '../logger.js';
import { findRepOfSlackUser } from '../domain/workspaces/lookups.js';

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

/**
 * The language of a private message the app sends on its own (no request to read it from): the
 * person's choice or Slack locale as kept on their rep; for someone with neither, Slack is asked
 * (`users.info` with `include_locale`, through `profile`); the workspace's language when Slack
 * cannot say.
 *
 * @example await recipientLocale({ db, workspace, slackUserId: 'U0LAN', profile: (id) => slack.userProfile(id) }) // 'vi'
 */
export async function recipientLocale(opts: {
  db: Db;
  workspace: Pick<Workspace, 'id' | 'language'>;
  slackUserId: string;
  profile?: ((slackUserId: string) => Promise<{ locale?: string | undefined } | undefined>) | undefined;
  logger?: Pick<Logger, 'warn'>;
}): Promise<TLocale> {
  const rep = await findRepOfSlackUser({ db: opts.db, workspaceId: opts.workspace.id, slackUserId: opts.slackUserId });
  if (rep?.language || rep?.slackLocale || !opts.profile) return localeOf({ rep, workspace: opts.workspace });
  try {
    const locale = (await opts.profile(opts.slackUserId))?.locale;
    return resolveLocale({ slackLocale: locale, workspaceLanguage: opts.workspace.language });
  } catch (e) {
    opts.logger?.warn('no Slack locale for a private message: the workspace language is used', { error: e instanceof Error ? e.message : String(e) });
    return workspaceLocale(opts.workspace);
  }
}
