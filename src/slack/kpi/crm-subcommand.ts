import { AppError } from '../../errors.js';
import { assertCanManageCrm, listCrmOwners, readCrmWriteBack, setCrmWriteBack, startCrmOAuth, CRM_OAUTH_TTL_MS } from '../../domain/crm/crm-slack-settings.js';
import { linkCrmOwner, listCrmStageMapping, readCrmStatus } from '../../domain/crm/manage-crm.js';
import { funnelStages } from '../../domain/deals/stages.js';
import { buildAuthorizeUrl, createPkcePair } from '../../crm/salesforce/oauth.js';
import {
  buildCrmDisconnectConfirm,
  buildCrmOwnerLinked,
  buildCrmOwnerList,
  buildCrmStagesModal,
  buildCrmStatus,
  buildCrmWriteBackAnswer,
  buildSalesforceConnectLink,
  buildCrmConnectModal,
} from '../blocks/crm-admin.js';
import { crmDepsOf, memberFor } from '../context.js';
import type { SlackMessage } from '../gateway.js';
import { localeOf } from '../locale-of.js';
import { parseUserMention } from '../mentions.js';
import type { TKpiSubcommand, TKpiSubcommandArgs } from './registry.js';

const USAGE = '`/kpi crm connect hubspot|pipedrive|salesforce` · `/kpi crm status` · `/kpi crm disconnect` · `/kpi crm owners` · `/kpi crm owner [owner id or email] @rep` · `/kpi crm stages` · `/kpi crm writeback on|off` (admins)';

/** Where the Salesforce consent screen sends the admin back. */
export const SALESFORCE_CALLBACK_PATH = '/crm/salesforce/callback';

function keyRingOf(a: TKpiSubcommandArgs) {
  const ring = crmDepsOf(a.deps).keyRing;
  if (!ring) throw new AppError('INVALID_INPUT', 'CRM credentials cannot be stored: the app has no CRM_ENCRYPTION_KEY. Ask whoever runs the app to set it (see README, "CRM connection").', { i18n: { key: 'error.crm.noEncryptionKey' } });
  return ring;
}

async function connect(a: TKpiSubcommandArgs): Promise<SlackMessage | void> {
  const { deps, command, member } = a;
  assertCanManageCrm(member.rep);
  const vendor = a.args[0]?.toLowerCase();
  if (vendor !== 'hubspot' && vendor !== 'pipedrive' && vendor !== 'salesforce') throw new AppError('INVALID_INPUT', 'Say which CRM: hubspot, pipedrive or salesforce.', { example: '/kpi crm connect hubspot', i18n: { key: 'error.crm.whichVendor' } });
  const keyRing = keyRingOf(a);
  const bind = { teamId: command.team_id, userId: command.user_id };
  if (vendor !== 'salesforce') {
    const view = buildCrmConnectModal({ meta: { vendor, channelId: command.channel_id ?? null }, seal: (json) => deps.sealer.seal('crm-connect', bind, json), locale: localeOf(member) });
    await deps.slack.openModal(command.trigger_id, view);
    return;
  }
  const crm = crmDepsOf(deps);
  if (!crm.salesforce) throw new AppError('INVALID_INPUT', 'Salesforce is not set up in this app: SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET are missing (see README, "CRM connection").', { i18n: { key: 'error.crm.salesforceNotSetUp' } });
  if (!crm.publicUrl) throw new AppError('INVALID_INPUT', 'Salesforce needs the app’s public address for its callback: PUBLIC_URL is not set (see README, "CRM connection").', { i18n: { key: 'error.crm.noPublicUrl' } });
  const pkce = createPkcePair();
  const { state } = await startCrmOAuth({ db: deps.db, keyRing, actor: member.rep, workspaceId: member.workspace.id, slackUserId: command.user_id, vendor: 'salesforce', codeVerifier: pkce.codeVerifier, now: deps.now(), locale: localeOf(member) });
  const url = buildAuthorizeUrl({ loginUrl: crm.salesforce.loginUrl, clientId: crm.salesforce.clientId, redirectUri: `${crm.publicUrl}${SALESFORCE_CALLBACK_PATH}`, state, codeChallenge: pkce.codeChallenge });
  return buildSalesforceConnectLink({ url, minutes: Math.round(CRM_OAUTH_TTL_MS / 60_000), locale: localeOf(member) });
}

async function status({ deps, member }: TKpiSubcommandArgs): Promise<SlackMessage> {
  assertCanManageCrm(member.rep);
  const now = deps.now();
  const [view, writeBack] = await Promise.all([readCrmStatus({ db: deps.db, workspaceId: member.workspace.id, now }), readCrmWriteBack({ db: deps.db, workspaceId: member.workspace.id })]);
  return buildCrmStatus({ status: view, writeBack, timeZone: member.workspace.timeZone, now, locale: localeOf(member) });
}

async function disconnect({ deps, command, member }: TKpiSubcommandArgs): Promise<SlackMessage> {
  assertCanManageCrm(member.rep);
  const view = await readCrmStatus({ db: deps.db, workspaceId: member.workspace.id, now: deps.now() });
  if (!view || view.status === 'disconnected') throw new AppError('NOT_FOUND', 'No CRM is connected to this workspace.', { i18n: { key: 'error.crm.notConnected' } });
  return buildCrmDisconnectConfirm({ vendor: view.vendor, value: deps.sealer.seal('crm-disconnect', { teamId: command.team_id, userId: command.user_id }, view.vendor), locale: localeOf(member) });
}

async function owners({ deps, member }: TKpiSubcommandArgs): Promise<SlackMessage> {
  assertCanManageCrm(member.rep);
  return buildCrmOwnerList(await listCrmOwners({ db: deps.db, workspaceId: member.workspace.id }), localeOf(member));
}

async function owner({ deps, command, member, args }: TKpiSubcommandArgs): Promise<SlackMessage> {
  assertCanManageCrm(member.rep);
  const key = args[0]?.trim() ?? '';
  const userId = parseUserMention(args[1]);
  if (!key || !userId || args.length !== 2) throw new AppError('INVALID_INPUT', 'Give the CRM owner (its id or email, from `/kpi crm owners`) and mention the rep.', { example: '/kpi crm owner ann@example.com @ann', i18n: { key: 'error.crm.ownerArgs' } });
  const all = await listCrmOwners({ db: deps.db, workspaceId: member.workspace.id });
  const found = key.includes('@') ? all.filter((o) => o.email?.toLowerCase() === key.toLowerCase()) : all.filter((o) => o.crmOwnerId === key);
  if (found.length === 0) throw new AppError('NOT_FOUND', 'No CRM owner has that id or email. `/kpi crm owners` lists them.', { example: '/kpi crm owner ann@example.com @ann', i18n: { key: 'error.crm.ownerNotFound' } });
  if (found.length > 1) throw new AppError('AMBIGUOUS', 'Several CRM owners have that email: use the owner id from `/kpi crm owners`.', { i18n: { key: 'error.crm.ownerAmbiguous' } });
  const rep = userId === member.rep.slackUserId ? member.rep : (await memberFor(deps, command.team_id, userId)).rep;
  const crmOwnerId = found[0]!.crmOwnerId;
  const { moved } = await linkCrmOwner({ db: deps.db, workspaceId: member.workspace.id, crmOwnerId, repId: rep.id, now: deps.now() });
  return buildCrmOwnerLinked({ crmOwnerId, userId, moved, locale: localeOf(member) });
}

async function stages({ deps, command, member }: TKpiSubcommandArgs): Promise<void> {
  assertCanManageCrm(member.rep);
  const rows = await listCrmStageMapping({ db: deps.db, workspaceId: member.workspace.id });
  if (rows.length === 0) throw new AppError('NOT_FOUND', 'No CRM stages yet: they appear after the first sync of a connected CRM.', { i18n: { key: 'error.crm.noStages' } });
  const multiPipeline = new Set(rows.map((r) => r.pipelineId)).size > 1;
  const view = buildCrmStagesModal({
    stages: rows.map((r) => ({ crmStageId: r.crmStageId, label: r.label, pipelineLabel: multiPipeline ? r.pipelineId : null, target: r.target, edited: r.edited })),
    funnel: funnelStages(member.workspace.funnelStages),
    meta: { channelId: command.channel_id ?? null },
    seal: (json) => deps.sealer.seal('crm-stages', { teamId: command.team_id, userId: command.user_id }, json),
    locale: localeOf(member),
  });
  await deps.slack.openModal(command.trigger_id, view);
}

async function writeback({ deps, member, args }: TKpiSubcommandArgs): Promise<SlackMessage> {
  assertCanManageCrm(member.rep);
  const word = args[0]?.toLowerCase();
  if (word !== 'on' && word !== 'off') throw new AppError('INVALID_INPUT', 'Say on or off.', { example: '/kpi crm writeback on', i18n: { key: 'error.crm.onOff' } });
  const on = await setCrmWriteBack({ db: deps.db, actor: member.rep, workspaceId: member.workspace.id, on: word === 'on', now: deps.now() });
  const view = await readCrmStatus({ db: deps.db, workspaceId: member.workspace.id, now: deps.now() });
  return buildCrmWriteBackAnswer({ on, vendor: view?.vendor ?? null, locale: localeOf(member) });
}

/**
 * `/kpi crm …` (admins): connect a CRM (a modal for a token, or Salesforce's consent link), its
 * status, disconnecting (after a confirmation), CRM owners and fixing one, the stage mapping modal,
 * and the write-back opt-in. Everyone else gets a private refusal and nothing changes.
 */
export const crmSubcommand: TKpiSubcommand = {
  names: ['crm'],
  help: '`/kpi crm connect hubspot|pipedrive|salesforce`, `status`, `disconnect`, `owners`, `owner [owner id or email] @rep`, `stages`, `writeback on|off`: the CRM connection (admins only)',
  helpKey: 'help.crm',
  async run(a) {
    const verb = a.args[0]?.toLowerCase();
    const rest = { ...a, args: a.args.slice(1) };
    switch (verb) {
      case 'connect':
        return connect(rest);
      case undefined:
      case 'status':
        return status(rest);
      case 'disconnect':
        return disconnect(rest);
      case 'owners':
        return owners(rest);
      case 'owner':
        return owner(rest);
      case 'stages':
        return stages(rest);
      case 'writeback':
      case 'write-back':
        return writeback(rest);
      default:
        throw new AppError('INVALID_INPUT', `I don't know \`/kpi crm ${verb}\`. ${USAGE}`, { example: '/kpi crm status', i18n: { key: 'error.crm.unknownVerb', values: { verb: verb ?? '' } } });
    }
  },
};
