import type { Db } from '../../storage/db.js';
import { upsertSlackInstallation } from '../../storage/queries/slack-installations.js';
import type { TSealKeyRing } from '../../shared/sealed-text.js';
import { installKeyOf, sealToken, type TSlackInstall } from './slack-installation.js';

export interface SaveSlackInstallationOptions {
  db: Db;
  ring: TSealKeyRing;
  install: TSlackInstall;
  now: Date;
}

/** Stores an installation with its tokens sealed; a reinstall replaces the tokens and restores it (active). */
export async function saveSlackInstallation(opts: SaveSlackInstallationOptions): Promise<void> {
  const { install: i, ring } = opts;
  const installKey = installKeyOf(i);
  await upsertSlackInstallation(
    opts.db,
    {
      installKey,
      teamId: i.teamId,
      teamName: i.teamName,
      enterpriseId: i.enterpriseId,
      enterpriseName: i.enterpriseName,
      isEnterpriseInstall: i.isEnterpriseInstall,
      appId: i.appId,
      botToken: sealToken(ring, installKey, i.botToken),
      botRefreshToken: i.botRefreshToken === null ? null : sealToken(ring, installKey, i.botRefreshToken),
      botTokenExpiresAt: i.botTokenExpiresAt,
      botId: i.botId,
      botUserId: i.botUserId,
      botScopes: i.botScopes.join(','),
      installerUserId: i.installerUserId,
      enterpriseUrl: i.enterpriseUrl,
    },
    opts.now,
  );
}
