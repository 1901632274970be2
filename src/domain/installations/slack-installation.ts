import { openText, sealKey, sealKeys, sealText, type TSealKeyRing } from '../../shared/sealed-text.js';

/**
 * An installation of the app through Slack's OAuth (issue #11), tokens in the clear: what the
 * use cases take and return. Rows hold the tokens sealed (`sealText`, purpose `slack-token`).
 */
export interface TSlackInstall {
  teamId: string | null;
  teamName: string | null;
  enterpriseId: string | null;
  enterpriseName: string | null;
  isEnterpriseInstall: boolean;
  appId: string | null;
  botToken: string;
  botRefreshToken: string | null;
  botTokenExpiresAt: Date | null;
  botId: string;
  botUserId: string;
  botScopes: string[];
  installerUserId: string;
  enterpriseUrl: string | null;
}

export interface TStoredSlackInstall extends TSlackInstall {
  /** The row key (`team:T…` or `enterprise:E…`). */
  installKey: string;
  /** Moves on with every store of new tokens (install, reinstall, refresh). */
  tokenVersion: number;
  active: boolean;
  installedAt: Date;
  uninstalledAt: Date | null;
}

/** Where an installation is looked up: the ids a request carries. */
export interface TSlackInstallQuery {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}

export const TOKEN_PURPOSE = 'slack-token';

/**
 * The row key of an installation: the org for an org-wide install, else the workspace.
 *
 * @example installKeyOf({ isEnterpriseInstall: true, enterpriseId: 'E1', teamId: null }) // 'enterprise:E1'
 * @example installKeyOf({ isEnterpriseInstall: false, enterpriseId: 'E1', teamId: 'T9' }) // 'team:T9'
 */
export function installKeyOf(i: { isEnterpriseInstall: boolean; enterpriseId: string | null; teamId: string | null }): string {
  if (i.isEnterpriseInstall) {
    if (!i.enterpriseId) throw new Error('an org-wide installation without an enterprise id');
    return `enterprise:${i.enterpriseId}`;
  }
  if (!i.teamId) throw new Error('a workspace installation without a team id');
  return `team:${i.teamId}`;
}

/**
 * The keys a request's ids may be stored under, most specific first: an org-wide request asks for
 * the org; a workspace asks for itself, then for its org (a workspace of an org-wide install).
 *
 * @example lookupKeys({ teamId: 'T9', enterpriseId: 'E1' }) // ['team:T9', 'enterprise:E1']
 * @example lookupKeys({ teamId: 'T9', enterpriseId: 'E1', isEnterpriseInstall: true }) // ['enterprise:E1']
 */
export function lookupKeys(q: TSlackInstallQuery): string[] {
  if (q.isEnterpriseInstall && q.enterpriseId) return [`enterprise:${q.enterpriseId}`];
  return [...(q.teamId ? [`team:${q.teamId}`] : []), ...(q.enterpriseId ? [`enterprise:${q.enterpriseId}`] : [])];
}

/**
 * The key ring for installation tokens from SLACK_TOKEN_ENCRYPTION_KEY and, during a rotation,
 * SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS (one key or several, comma separated; validated by config.ts).
 *
 * @example slackTokenKeyRing('q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=').previous // []
 */
export function slackTokenKeyRing(current: string, previous?: string | null): TSealKeyRing {
  return { current: sealKey(current, 'SLACK_TOKEN_ENCRYPTION_KEY'), previous: sealKeys(previous, 'SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS') };
}

/** Seals a token for one installation row (the row key is authenticated data). */
export function sealToken(ring: TSealKeyRing, installKey: string, token: string): string {
  return sealText(ring, TOKEN_PURPOSE, installKey, token);
}

/** Opens a token sealed for that row; throws UnsealError with a wrong key or another row's blob. */
export function openToken(ring: TSealKeyRing, installKey: string, blob: string): string {
  return openText(ring, TOKEN_PURPOSE, installKey, blob).text;
}
