import type { App } from '@slack/bolt';
import { z } from 'zod';
import { deactivateSlackInstallation } from '../../../domain/installations/deactivate-slack-installation.js';
import type { TSlackInstallQuery } from '../../../domain/installations/slack-installation.js';
import type { AppDeps } from '../../context.js';

/**
 * OAuth mode (issue #11): `app_uninstalled`, and `tokens_revoked` naming the bot, mark the
 * installation inactive: requests are no longer authorised and the scheduled jobs skip its
 * workspaces (digests, alerts, CRM syncs); the data stays, and a new install brings it all back.
 * The app stores no user tokens, so revoked user tokens alone change nothing.
 *
 * Once per delivery: the change is conditional (still active, installed before the event), so a
 * repeated delivery changes nothing, and a late one never undoes a reinstall made after it.
 */

const ZEnvelope = z.looseObject({ event_id: z.string().optional(), event_time: z.number().optional() });
const ZTokensRevoked = z.looseObject({ tokens: z.looseObject({ oauth: z.array(z.string()).optional(), bot: z.array(z.string()).optional() }).optional() });

interface TUninstallInput {
  query: TSlackInstallQuery;
  body: unknown;
  reason: 'app_uninstalled' | 'tokens_revoked';
}

/** Deactivates the installation behind an uninstall or bot-token revocation event. */
export async function handleUninstall(deps: Pick<AppDeps, 'db' | 'logger' | 'now'>, input: TUninstallInput): Promise<boolean> {
  const envelope = ZEnvelope.safeParse(input.body);
  // event_time is in whole seconds: the end of that second.
  const eventTime = envelope.success && envelope.data.event_time !== undefined ? new Date(envelope.data.event_time * 1000 + 999) : undefined;
  const now = deps.now();
  const changed = await deactivateSlackInstallation({ db: deps.db, query: input.query, now, happenedAt: eventTime ?? now });
  deps.logger.info(changed ? 'Slack installation deactivated' : 'Slack uninstall event changed nothing (already inactive, or installed again since)', {
    reason: input.reason,
    team: input.query.teamId,
    enterprise: input.query.enterpriseId,
    orgWide: input.query.isEnterpriseInstall === true,
    eventId: envelope.success ? envelope.data.event_id : undefined,
  });
  return changed;
}

function queryOf(context: { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall?: boolean | undefined }): TSlackInstallQuery {
  return { teamId: context.teamId, enterpriseId: context.enterpriseId, isEnterpriseInstall: context.isEnterpriseInstall };
}

export function registerUninstallEvents(app: App, deps: AppDeps): void {
  // Bolt does not authorise these two events (the token may already be gone).
  app.event('app_uninstalled', async ({ body, context }) => {
    await handleUninstall(deps, { query: queryOf(context), body, reason: 'app_uninstalled' });
  });
  app.event('tokens_revoked', async ({ event, body, context }) => {
    const parsed = ZTokensRevoked.safeParse(event);
    const bots = parsed.success ? (parsed.data.tokens?.bot ?? []) : [];
    if (bots.length === 0) {
      deps.logger.info('Slack user tokens revoked: the app stores none, nothing to do', { team: context.teamId, users: parsed.success ? (parsed.data.tokens?.oauth?.length ?? 0) : 0 });
      return;
    }
    await handleUninstall(deps, { query: queryOf(context), body, reason: 'tokens_revoked' });
  });
}
