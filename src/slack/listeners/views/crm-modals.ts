import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { AppError, isAppError, toUserMessage } from '../../../errors.js';
import { announceCrmBackfill } from '../../../domain/crm/backfill-progress.js';
import { connectCrm } from '../../../domain/crm/connect-crm.js';
import { CrmSourceError, type TCrmVendor } from '../../../domain/crm/crm-source.js';
import { assertCanManageCrm, prepareCrmWebhooks } from '../../../domain/crm/crm-slack-settings.js';
import { listCrmStageMapping, setCrmStageMapping } from '../../../domain/crm/manage-crm.js';
import { CrmConnectorUnavailableError } from '../../../crm/registry.js';
import { buildCrmConnected, buildCrmStagesSaved, CRM_CONNECT_CALLBACK, CRM_CONNECT_FIELDS, CRM_STAGE_BLOCK_PREFIX, CRM_STAGES_CALLBACK, vendorName } from '../../blocks/crm-admin.js';
import { buildErrorMessage, errorExample, errorText } from '../../blocks/messages.js';
import { authorisedTeamId, actorFor, crmDepsOf, findMember, type AppDeps } from '../../context.js';
import type { TLocale } from '../../../i18n/locales.js';
import { t, translator } from '../../../i18n/t.js';
import { localeOf } from '../../locale-of.js';
import type { TViewStateValues } from '../../forms/deal-form.js';
import { staleValueError } from '../../sealed-values.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const ZConnectMeta = z.object({ vendor: z.enum(['hubspot', 'pipedrive']), channelId: z.string().nullable() });
const ZStagesMeta = z.object({ channelId: z.string().nullable() });

export const HUBSPOT_WEBHOOK_PATH = '/crm/hubspot/webhook';
export const PIPEDRIVE_WEBHOOK_PATH = '/crm/pipedrive/webhook';

/** The public URL of one of the app's routes (PUBLIC_URL, or a placeholder the admin fills in). */
export function publicRouteUrl(publicUrl: string | null, path: string): string {
  return `${publicUrl ?? 'https://<your app address>'}${path}`;
}

function readText(values: TViewStateValues, block: string): string {
  return (values[block]?.value?.value ?? '').trim();
}

/** The words an admin sees when the token check fails; never the token, never the vendor's raw body. */
export function tokenCheckProblem(vendor: TCrmVendor, e: unknown, locale: TLocale = 'en'): { field: 'token' | 'baseUrl'; message: string } {
  const tr = translator(locale);
  const name = vendorName(vendor);
  if (e instanceof CrmConnectorUnavailableError) return { field: 'token', message: tr('crm.check.unavailableConnector', { name }) };
  if (e instanceof CrmSourceError) {
    if (e.kind === 'auth') return { field: 'token', message: tr('crm.check.auth', { name }) };
    if (e.kind === 'rate-limited') return { field: 'token', message: tr('crm.check.rateLimited', { name }) };
    if (e.kind === 'unavailable') return { field: 'baseUrl', message: tr('crm.check.timeout', { name }) };
    return { field: 'baseUrl', message: tr('crm.check.unexpected', { name }) };
  }
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return { field: 'baseUrl', message: tr('crm.check.timeout', { name }) };
  return { field: 'token', message: tr('crm.check.other', { name }) };
}

/** An error as a modal field's plain text, in `locale` (English: as `toUserMessage` always wrote it). */
function fieldErrorText(e: unknown, locale: TLocale): string {
  if (locale === 'en') return toUserMessage(e);
  const message = errorText(e, locale);
  const example = isAppError(e) ? errorExample(e, locale) : undefined;
  return example ? `${message}\n${t(locale, 'error.example', { example })}` : message;
}

/** The admin's language from what the app knows of them (a read: nothing is recorded). */
async function readerLocale(deps: AppDeps, teamId: string, userId: string): Promise<TLocale> {
  return localeOf(await findMember(deps, teamId, userId));
}

/**
 * Connect modal submitted: the admin is checked again, the token is tried with one call
 * (`listStages`, short deadline: Slack waits 3 s), then stored sealed (`connectCrm`); problems go
 * back inline on the field, the token is never echoed. The confirmation (with Pipedrive's webhook
 * login, shown once) is posted privately.
 */
export async function handleCrmConnectSubmission(deps: AppDeps, { ack, body, view, context }: Pick<Args, 'ack' | 'body' | 'view' | 'context'>): Promise<void> {
  const teamId = authorisedTeamId(context);
  const userId = body.user.id;
  const values = view.state.values as TViewStateValues;
  const locale = await readerLocale(deps, teamId, userId);
  const tr = translator(locale);
  const opened = deps.sealer.open('crm-connect', { teamId, userId }, view.private_metadata);
  const meta = opened === null ? null : ZConnectMeta.safeParse(JSON.parse(opened) as unknown).data;
  if (!meta) {
    await ack({ response_action: 'errors', errors: { [CRM_CONNECT_FIELDS.token]: errorText(staleValueError('form'), locale) } });
    return;
  }
  let acked = false;
  const refuse = async (field: 'token' | 'baseUrl' | 'portal', message: string) => {
    acked = true;
    await ack({ response_action: 'errors', errors: { [CRM_CONNECT_FIELDS[field]]: message } });
  };
  try {
    const crm = crmDepsOf(deps);
    const member = await actorFor(deps, teamId, userId);
    assertCanManageCrm(member.rep);
    if (!crm.keyRing) throw new AppError('INVALID_INPUT', 'The app has no CRM_ENCRYPTION_KEY, so credentials cannot be stored.', { i18n: { key: 'error.crm.noEncryptionKeyForm' } });
    const token = readText(values, CRM_CONNECT_FIELDS.token);
    if (!token) return await refuse('token', tr('crm.field.pasteToken'));
    if (/\s/.test(token) || token.length > 500) return await refuse('token', tr('crm.field.notToken'));
    const baseUrlText = readText(values, CRM_CONNECT_FIELDS.baseUrl);
    let baseUrl: string | null = null;
    if (baseUrlText) {
      const parsed = URL.canParse(baseUrlText) ? new URL(baseUrlText) : null;
      if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) return await refuse('baseUrl', tr('crm.field.baseUrl'));
      baseUrl = parsed.toString().replace(/\/+$/, '');
    }
    const portal = meta.vendor === 'hubspot' ? readText(values, CRM_CONNECT_FIELDS.portal) : '';
    if (portal && !/^\d{1,20}$/.test(portal)) return await refuse('portal', tr('error.crm.portalNotNumber'));
    const credentials: Record<string, string> = meta.vendor === 'hubspot' ? { accessToken: token, ...(portal ? { portalId: portal } : {}) } : { apiToken: token };
    try {
      const source = crm.createSource(meta.vendor, credentials, { ...(baseUrl ? { baseUrl } : {}), timeoutMs: crm.validateTimeoutMs });
      // Bounded even if a connector ignored its signal: Slack closes the form after 3 s.
      const signal = AbortSignal.timeout(crm.validateTimeoutMs);
      const gaveUp = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
      await Promise.race([source.listStages(signal), gaveUp]);
    } catch (e) {
      const problem = tokenCheckProblem(meta.vendor, e, locale);
      deps.logger.warn('CRM token check failed', { vendor: meta.vendor, kind: e instanceof CrmSourceError ? e.kind : e instanceof Error ? e.name : 'unknown' });
      return await refuse(problem.field, problem.message);
    }
    const now = deps.now();
    await connectCrm({ db: deps.db, workspaceId: member.workspace.id, vendor: meta.vendor, credentials, keyRing: crm.keyRing, baseUrl, now });
    const hooks = await prepareCrmWebhooks({ db: deps.db, workspaceId: member.workspace.id, vendor: meta.vendor, hubspotPortalId: portal || null, now });
    // The first full load's progress goes to this admin (a message updated in place, by the scheduler).
    await announceCrmBackfill({ db: deps.db, workspaceId: member.workspace.id, channel: userId });
    acked = true;
    await ack();
    const webhookUrl = publicRouteUrl(crm.publicUrl, meta.vendor === 'hubspot' ? HUBSPOT_WEBHOOK_PATH : PIPEDRIVE_WEBHOOK_PATH);
    const message = buildCrmConnected({ vendor: meta.vendor, webhookUrl, pipedrive: hooks.pipedrive, hubspotPortal: portal || null, locale });
    await deps.slack.postPrivate(meta.channelId ?? undefined, userId, message).catch((e: unknown) => deps.logger.warn('CRM confirmation not delivered', { error: e instanceof Error ? e.message : String(e) }));
    crm.onSyncDue?.();
  } catch (e) {
    if (!isAppError(e)) deps.logger.error('CRM connect failed', { error: e instanceof Error ? e.name : 'unknown' });
    if (!acked) await ack({ response_action: 'errors', errors: { [CRM_CONNECT_FIELDS.token]: fieldErrorText(e, locale) } });
  }
}

/**
 * Stage-mapping modal submitted: each select whose value differs from the stored target is saved
 * (`setCrmStageMapping`, kept by later syncs); the admin gets a private confirmation.
 */
export async function handleCrmStagesSubmission(deps: AppDeps, { ack, body, view, context }: Pick<Args, 'ack' | 'body' | 'view' | 'context'>): Promise<void> {
  const teamId = authorisedTeamId(context);
  const userId = body.user.id;
  const values = view.state.values as TViewStateValues;
  const locale = await readerLocale(deps, teamId, userId);
  const opened = deps.sealer.open('crm-stages', { teamId, userId }, view.private_metadata);
  const meta = opened === null ? null : ZStagesMeta.safeParse(JSON.parse(opened) as unknown).data;
  const firstBlock = Object.keys(values)[0] ?? 'crm_stage:';
  if (!meta) {
    await ack({ response_action: 'errors', errors: { [firstBlock]: errorText(staleValueError('form'), locale) } });
    return;
  }
  let acked = false;
  try {
    const member = await actorFor(deps, teamId, userId);
    assertCanManageCrm(member.rep);
    const current = new Map((await listCrmStageMapping({ db: deps.db, workspaceId: member.workspace.id })).map((r) => [r.crmStageId, r.target]));
    const changes: Array<{ crmStageId: string; target: string; block: string }> = [];
    for (const [block, entry] of Object.entries(values)) {
      if (!block.startsWith(CRM_STAGE_BLOCK_PREFIX)) continue;
      const crmStageId = block.slice(CRM_STAGE_BLOCK_PREFIX.length);
      const target = entry.value?.selected_option?.value;
      if (!target || !current.has(crmStageId) || current.get(crmStageId) === target) continue;
      changes.push({ crmStageId, target, block });
    }
    const now = deps.now();
    for (const c of changes) {
      try {
        await setCrmStageMapping({ db: deps.db, workspaceId: member.workspace.id, crmStageId: c.crmStageId, target: c.target, now });
      } catch (e) {
        if (isAppError(e) && !acked) {
          acked = true;
          await ack({ response_action: 'errors', errors: { [c.block]: errorText(e, locale) } });
          return;
        }
        throw e;
      }
    }
    acked = true;
    await ack();
    await deps.slack.postPrivate(meta.channelId ?? undefined, userId, buildCrmStagesSaved(changes.length, locale)).catch((e: unknown) => deps.logger.warn('CRM stages confirmation not delivered', { error: e instanceof Error ? e.message : String(e) }));
  } catch (e) {
    if (!isAppError(e)) deps.logger.error('CRM stage mapping failed', { error: e instanceof Error ? e.message : String(e) });
    if (!acked) {
      acked = true;
      await ack();
      await deps.slack.postPrivate(meta.channelId ?? undefined, userId, buildErrorMessage(e, locale)).catch(() => undefined);
    }
  }
}

export function registerCrmModals(app: App, deps: AppDeps): void {
  app.view<ViewSubmitAction>({ callback_id: CRM_CONNECT_CALLBACK, type: 'view_submission' }, async (args) => handleCrmConnectSubmission(deps, args));
  app.view<ViewSubmitAction>({ callback_id: CRM_STAGES_CALLBACK, type: 'view_submission' }, async (args) => handleCrmStagesSubmission(deps, args));
}
