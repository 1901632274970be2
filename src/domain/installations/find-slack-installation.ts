import type { Db } from '../../storage/db.js';
import { slackInstallationByKey } from '../../storage/queries/slack-installations.js';
import type { TSealKeyRing } from '../../shared/sealed-text.js';
import { lookupKeys, openToken, type TSlackInstallQuery, type TStoredSlackInstall } from './slack-installation.js';

export interface FindSlackInstallationOptions {
  db: Db;
  ring: TSealKeyRing;
  query: TSlackInstallQuery;
  /** Also return an inactive (uninstalled) installation; default false. */
  includeInactive?: boolean;
}

/**
 * The installation that serves a request's workspace or org, tokens opened, or null when there is
 * none (or only an uninstalled one). A workspace of an org-wide install finds the org's row.
 */
export async function findSlackInstallation(opts: FindSlackInstallationOptions): Promise<TStoredSlackInstall | null> {
  for (const key of lookupKeys(opts.query)) {
    const row = await slackInstallationByKey(opts.db, key);
    if (!row || (!row.active && !opts.includeInactive)) continue;
    // An org's token serves only the org's workspaces: a workspace installed on its own, outside
    // this org, is never served (nor its data read) because a request claims the org.
    if (row.teamId === null && opts.query.teamId && (await installedOutsideOrg(opts.db, opts.query.teamId, row.enterpriseId))) return null;
    return {
      installKey: key,
      tokenVersion: row.tokenVersion,
      teamId: row.teamId,
      teamName: row.teamName,
      enterpriseId: row.enterpriseId,
      enterpriseName: row.enterpriseName,
      isEnterpriseInstall: row.isEnterpriseInstall,
      appId: row.appId,
      botToken: openToken(opts.ring, key, row.botToken),
      botRefreshToken: row.botRefreshToken === null ? null : openToken(opts.ring, key, row.botRefreshToken),
      botTokenExpiresAt: row.botTokenExpiresAt,
      botId: row.botId,
      botUserId: row.botUserId,
      botScopes: row.botScopes ? row.botScopes.split(',') : [],
      installerUserId: row.installerUserId,
      enterpriseUrl: row.enterpriseUrl,
      active: row.active,
      installedAt: row.installedAt,
      uninstalledAt: row.uninstalledAt,
    };
  }
  return null;
}

/** Whether the workspace has an installation of its own (active or not) that is not of that org. */
async function installedOutsideOrg(db: Db, teamId: string, enterpriseId: string | null): Promise<boolean> {
  const own = await slackInstallationByKey(db, `team:${teamId}`);
  return own !== null && own.enterpriseId !== enterpriseId;
}
