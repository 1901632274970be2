import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { Db } from '../../storage/db.js';
import type { TSealKeyRing } from '../../shared/sealed-text.js';
import { saveSlackInstallation } from '../../domain/installations/save-slack-installation.js';
import { findSlackInstallation } from '../../domain/installations/find-slack-installation.js';
import { deactivateSlackInstallation } from '../../domain/installations/deactivate-slack-installation.js';
import type { TSlackInstall, TSlackInstallQuery, TStoredSlackInstall } from '../../domain/installations/slack-installation.js';

export interface DbInstallationStoreOptions {
  db: Db;
  ring: TSealKeyRing;
  now: () => Date;
}

/**
 * The installation Bolt's OAuth hands over, in the domain's terms (a bot token is required: this
 * app asks for bot scopes only).
 *
 * @example installFromBolt({ team: { id: 'T1' }, enterprise: undefined, user: { id: 'U1', token: undefined, scopes: undefined }, bot: { token: 'xoxb-1', scopes: ['commands'], id: 'B1', userId: 'UB1' } })
 */
export function installFromBolt(i: Installation): TSlackInstall {
  if (!i.bot) throw new Error('the installation carries no bot token (the app asks for bot scopes)');
  return {
    teamId: i.team?.id ?? null,
    teamName: i.team?.name ?? null,
    enterpriseId: i.enterprise?.id ?? null,
    enterpriseName: i.enterprise?.name ?? null,
    isEnterpriseInstall: i.isEnterpriseInstall === true,
    appId: i.appId ?? null,
    botToken: i.bot.token,
    botRefreshToken: i.bot.refreshToken ?? null,
    botTokenExpiresAt: i.bot.expiresAt === undefined ? null : new Date(i.bot.expiresAt * 1000),
    botId: i.bot.id,
    botUserId: i.bot.userId,
    botScopes: i.bot.scopes,
    installerUserId: i.user.id,
    enterpriseUrl: i.enterpriseUrl ?? null,
  };
}

/** A stored installation in Bolt's shape (what `fetchInstallation` returns). */
export function installToBolt(s: TStoredSlackInstall): Installation<'v2', boolean> {
  return {
    team: s.teamId ? { id: s.teamId, ...(s.teamName ? { name: s.teamName } : {}) } : undefined,
    enterprise: s.enterpriseId ? { id: s.enterpriseId, ...(s.enterpriseName ? { name: s.enterpriseName } : {}) } : undefined,
    user: { id: s.installerUserId, token: undefined, scopes: undefined },
    bot: {
      token: s.botToken,
      ...(s.botRefreshToken ? { refreshToken: s.botRefreshToken } : {}),
      ...(s.botTokenExpiresAt ? { expiresAt: Math.floor(s.botTokenExpiresAt.getTime() / 1000) } : {}),
      scopes: s.botScopes,
      id: s.botId,
      userId: s.botUserId,
    },
    ...(s.appId ? { appId: s.appId } : {}),
    ...(s.enterpriseUrl ? { enterpriseUrl: s.enterpriseUrl } : {}),
    tokenType: 'bot',
    isEnterpriseInstall: s.isEnterpriseInstall,
    authVersion: 'v2',
  };
}

function queryOf(q: InstallationQuery<boolean>): TSlackInstallQuery {
  return { teamId: q.teamId, enterpriseId: q.enterpriseId, isEnterpriseInstall: q.isEnterpriseInstall };
}

/**
 * The store InstallProvider writes a new install to: Bolt dates a rotating token's expiry from the
 * wall clock (now + expires_in, whole seconds rounded down); the app runs on its own clock (the same
 * in production, a test's in tests), so the expiry is moved onto it before it is stored.
 */
export function onAppClock(store: InstallationStore, now: () => Date, wallClock: () => number = Date.now): InstallationStore {
  return {
    storeInstallation: async (installation) => {
      const bot = installation.bot;
      const shifted =
        bot?.expiresAt === undefined ? installation : { ...installation, bot: { ...bot, expiresAt: Math.ceil((bot.expiresAt * 1000 + now().getTime() - wallClock()) / 1000) } };
      await store.storeInstallation(shifted);
    },
    fetchInstallation: (query, logger) => store.fetchInstallation(query, logger),
    deleteInstallation: async (query, logger) => {
      await store.deleteInstallation?.(query, logger);
    },
  };
}

/**
 * Bolt's `InstallationStore` on the app's database (both engines): tokens sealed with
 * SLACK_TOKEN_ENCRYPTION_KEY; a workspace of an org-wide install is served by the org's row; delete
 * marks the installation inactive (the data stays) and a reinstall restores it.
 */
export class DbInstallationStore implements InstallationStore {
  constructor(private readonly opts: DbInstallationStoreOptions) {}

  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(installation: Installation<AuthVersion, boolean>): Promise<void> {
    await saveSlackInstallation({ db: this.opts.db, ring: this.opts.ring, install: installFromBolt(installation as Installation), now: this.opts.now() });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const found = await findSlackInstallation({ db: this.opts.db, ring: this.opts.ring, query: queryOf(query) });
    // Bolt expects a throw when there is nothing to authorise with.
    if (!found) throw new Error(`no active installation for team ${query.teamId ?? '-'} / enterprise ${query.enterpriseId ?? '-'}`);
    return installToBolt(found);
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await deactivateSlackInstallation({ db: this.opts.db, query: queryOf(query), now: this.opts.now() });
  }
}
