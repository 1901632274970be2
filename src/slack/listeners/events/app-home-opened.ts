import type { App } from '@slack/bolt';
import { z } from 'zod';
import { loadHome } from '../../../domain/home/load-home.js';
import { buildAppHome } from '../../blocks/app-home.js';
import { buildCrmHomeSection } from '../../blocks/crm-admin.js';
import { readCrmStatus } from '../../../domain/crm/manage-crm.js';
import { roleOf } from '../../../domain/workspaces/ensure-member.js';
import { authorisedTeamId, readerFor, type AppDeps } from '../../context.js';
import { localeOf } from '../../locale-of.js';

const ZHomeOpened = z.object({
  user: z.string().regex(/^[UW][A-Z0-9]+$/),
  tab: z.string().optional(),
});

/**
 * Builds and publishes one user's App Home (also used to refresh it after a change), in their
 * language: the Home is private (`localeOf`: their choice, their Slack locale, the workspace's).
 */
export async function publishHomeFor(deps: AppDeps, teamId: string, userId: string): Promise<void> {
  const member = await readerFor(deps, teamId, userId);
  const now = deps.now();
  const snapshot = await loadHome({ db: deps.db, workspace: member.workspace, viewer: member.rep, now });
  // Only admins see the CRM sync's health.
  const crm = roleOf(member.rep) === 'admin' ? await readCrmStatus({ db: deps.db, workspaceId: member.workspace.id, now }) : null;
  const locale = localeOf(member);
  await deps.slack.publishHome(userId, buildAppHome(snapshot, { locale, crmBlocks: buildCrmHomeSection(crm, member.workspace.timeZone, now, locale) }));
}

/** `app_home_opened` on the Home tab: publish the viewer's Home. The Messages tab is left alone. */
export async function handleAppHomeOpened(deps: AppDeps, input: { teamId: string | undefined; event: unknown }): Promise<void> {
  const parsed = ZHomeOpened.safeParse(input.event);
  if (!parsed.success || !input.teamId) {
    deps.logger.warn('app_home_opened ignored: unexpected payload');
    return;
  }
  if (parsed.data.tab !== undefined && parsed.data.tab !== 'home') return;
  try {
    await publishHomeFor(deps, input.teamId, parsed.data.user);
  } catch (e) {
    deps.logger.error('App Home not published', { error: e instanceof Error ? e.message : String(e) });
  }
}

export function registerAppHomeOpened(app: App, deps: AppDeps): void {
  app.event('app_home_opened', async ({ event, context }) => {
    // The authorised team (authorizations[0]), not the event's own `team_id`.
    await handleAppHomeOpened(deps, { teamId: authorisedTeamId(context), event });
  });
}
