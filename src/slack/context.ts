import type { TConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';
import { AppError } from '../errors.js';
import { ensureMember, type TMember } from '../domain/workspaces/ensure-member.js';
import { findKnownMember, openWorkspaceForReader } from '../domain/workspaces/find-workspace.js';
import { slackErrorCode, type SlackGateway, type SlackUserProfile } from './gateway.js';
import type { ValueSealer } from './sealed-values.js';
import type { Rep, Workspace } from '../storage/models.js';
import type { MemberCache } from '../domain/workspaces/member-cache.js';
import type { TCrmCredentials, TCrmKeyRing } from '../domain/crm/credentials.js';
import type { TCrmSource, TCrmVendor } from '../domain/crm/crm-source.js';
import type { TCrmSourceOptions } from '../crm/registry.js';

/** What the CRM commands, webhooks and the OAuth callback need (issue #10); built in app.ts. */
export interface TCrmDeps {
  /** Seals credentials at rest; null when CRM_ENCRYPTION_KEY is not set (connecting is then refused). */
  keyRing: TCrmKeyRing | null;
  /** `createCrmSource` from src/crm/registry.ts in production; tests inject fakes. */
  createSource: (vendor: TCrmVendor, credentials: TCrmCredentials, options: TCrmSourceOptions) => TCrmSource;
  /** The app's public URL (PUBLIC_URL), for webhook and callback URLs; null: taken from the request's Host. */
  publicUrl: string | null;
  hubspotClientSecret: string | null;
  salesforce: { clientId: string; clientSecret: string | null; loginUrl: string } | null;
  /** Deadline of the one call that checks a token while the connect modal waits (Slack allows 3 s). */
  validateTimeoutMs: number;
  /** Timeout of a write-back call made while `/deal` waits. */
  writeBackTimeoutMs: number;
  /** Called after a webhook marked a sync due (main.ts starts the CRM sync tick at once). */
  onSyncDue?: () => void;
}

/** What every listener needs; built once in app.ts. */
export interface AppDeps {
  db: Db;
  slack: SlackGateway;
  config: Pick<TConfig, 'TZ_DEFAULT' | 'CURRENCY_DEFAULT' | 'QUICKCHART_URL'>;
  logger: Logger;
  /** Injected clock: tests and the scheduler control time through it. */
  now: () => Date;
  /** Who is behind a request, cached briefly (see MemberCache). */
  members: MemberCache;
  /** Signs and checks button values and modal metadata (sealed-values.ts). */
  sealer: ValueSealer;
  /** Absent in listener tests that build their own deps without a CRM. */
  crm?: TCrmDeps;
}

/**
 * The Slack team a request was authorised for (Bolt's `context.teamId`: the team whose installation
 * answered, or the workspace of an org-wide install). Every listener picks its workspace by it, never
 * by a team id read from the payload (`team.id`, `user.team_id`, `view.team_id`, an event's
 * `team_id`): those can name another team than the one whose token serves the request.
 *
 * @example authorisedTeamId({ teamId: 'T1' }) // 'T1'
 */
export function authorisedTeamId(context: { teamId?: string | undefined }): string {
  if (!context.teamId) throw new AppError('INVALID_INPUT', 'This request names no Slack workspace.');
  return context.teamId;
}

/**
 * The CRM dependencies, or a refusal when this app was built without them.
 *
 * @example const { keyRing } = crmDepsOf(deps);
 */
export function crmDepsOf(deps: Pick<AppDeps, 'crm'>): TCrmDeps {
  if (!deps.crm) throw new AppError('INVALID_INPUT', 'CRM connections are not set up in this app.');
  return deps.crm;
}

/** The user's Slack profile on first contact; Slack not answering is a refusal with nothing written. */
async function profileOf(deps: AppDeps, userId: string): Promise<SlackUserProfile> {
  try {
    return await deps.slack.userProfile(userId);
  } catch (e) {
    deps.logger.warn('users.info failed on first contact', { error: slackErrorCode(e) ?? (e instanceof Error ? e.message : String(e)) });
    throw new AppError('SLACK_UNREACHABLE', "I couldn't reach Slack to look you up, so nothing was saved. Please try again in a moment.", { cause: e, i18n: { key: 'error.slackUnreachable' } });
  }
}

/**
 * The workspace and rep behind a Slack request, created on first contact (a Slack profile lookup,
 * bounded: when Slack does not answer, the request is refused with nothing written). Call it only
 * once the request is known to change something: refusals and read-only answers use `findMember`.
 */
export async function memberFor(deps: AppDeps, teamId: string, userId: string, profile?: SlackUserProfile): Promise<TMember> {
  const cached = deps.members.get(teamId, userId);
  if (cached) return cached;
  const member = await ensureMember({
    db: deps.db,
    teamId,
    userId,
    defaults: { timeZone: deps.config.TZ_DEFAULT, currency: deps.config.CURRENCY_DEFAULT },
    lookupProfile: async () => {
      const p = profile ?? (await profileOf(deps, userId));
      return { name: p.name, timeZone: p.timeZone, isSlackAdmin: p.isAdmin, locale: p.locale };
    },
  });
  deps.members.set(teamId, userId, member);
  return member;
}

/** What a read-only request knows of its sender: nothing is created to answer it. */
export interface TKnownMember {
  workspace: Workspace | null;
  rep: Rep | null;
}

/**
 * The workspace and rep behind a request if the app has met them, without writing anything or
 * calling Slack.
 *
 * @example
 * const { workspace, rep } = await findMember(deps, 'T1', 'U1'); // { workspace: null, rep: null } on first contact
 */
export async function findMember(deps: AppDeps, teamId: string, userId: string): Promise<TKnownMember> {
  const cached = deps.members.get(teamId, userId);
  if (cached) return cached;
  const { workspace, rep } = await findKnownMember({ db: deps.db, slackTeamId: teamId, slackUserId: userId });
  if (!workspace) return { workspace: null, rep: null };
  if (rep) deps.members.set(teamId, userId, { workspace, rep, created: false });
  return { workspace, rep };
}

/**
 * The member behind a read-only request (a KPI answer): the stored rep when the app knows them,
 * else a stand-in that owns nothing (id 0) — no rep row is created and Slack is not asked, since
 * the answer does not need it. A workspace met for the first time is recorded, with its installer.
 *
 * @example
 * const { workspace, rep } = await readerFor(deps, 'T1', 'U9'); // rep.id === 0 for someone new
 */
export async function readerFor(deps: AppDeps, teamId: string, userId: string, known?: TKnownMember): Promise<TMember> {
  known ??= await findMember(deps, teamId, userId);
  if (known.workspace && known.rep) return { workspace: known.workspace, rep: known.rep, created: false };
  const workspace = await openWorkspaceForReader({
    db: deps.db,
    known: known.workspace,
    slackTeamId: teamId,
    slackUserId: userId,
    defaults: { timeZone: deps.config.TZ_DEFAULT, currency: deps.config.CURRENCY_DEFAULT },
    now: deps.now(),
  });
  const rep: Rep = {
    id: 0,
    workspaceId: workspace.id,
    slackUserId: userId,
    importKey: null,
    name: userId,
    role: workspace.installerUserId === userId ? 'admin' : 'rep',
    teamId: null,
    timeZone: null,
    language: null,
    slackLocale: null,
    createdAt: workspace.createdAt,
    updatedAt: workspace.updatedAt,
  };
  return { workspace, rep, created: false };
}

/**
 * The member behind a `/kpi` subcommand that may change something. Every such change needs a
 * manager or an admin, and someone the app has not met yet can only be an admin (the installer, or
 * a Slack admin or owner): those are recorded now (the change's audit entry names their rep row);
 * anyone else gets the read-only stand-in of `readerFor`, so what they may see is shown and every
 * change is refused with nobody recorded. Slack is asked only when the answer depends on it.
 *
 * @example
 * const member = await actorFor(deps, 'T1', 'U9'); // a stand-in (rep.id 0) for a new non-admin
 */
export async function actorFor(deps: AppDeps, teamId: string, userId: string, known?: TKnownMember): Promise<TMember> {
  const reader = await readerFor(deps, teamId, userId, known);
  if (reader.rep.id !== 0) return reader;
  if (reader.rep.role === 'admin') return memberFor(deps, teamId, userId);
  const profile = await profileOf(deps, userId);
  return profile.isAdmin ? memberFor(deps, teamId, userId, profile) : reader;
}
