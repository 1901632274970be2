import type { KnownBlock, View } from '@slack/types';
import type { TCrmStatusView } from '../../domain/crm/manage-crm.js';
import type { TCrmOwnerLink, TPipedriveWebhookLogin } from '../../domain/crm/crm-slack-settings.js';
import type { TCrmVendor } from '../../domain/crm/crm-source.js';
import { stageLabel } from '../../domain/deals/stages.js';
import { formatCount } from '../../domain/money.js';
import { formatInstant } from '../../domain/periods.js';
import { formatInstantL } from '../../i18n/format.js';
import type { TLocale } from '../../i18n/locales.js';
import { translator, type TTranslate } from '../../i18n/t.js';
import type { SlackMessage } from '../gateway.js';
import { SEAL_OVERHEAD } from '../sealed-values.js';
import { option, plainText, staticSelect, textInput } from './inputs.js';
import { escapeMrkdwn, LIMITS, truncate } from './limits.js';
import { context, section } from './messages.js';

// Block Kit of the CRM admin commands (`/kpi crm …`), the CRM section of the App Home and the page
// the Salesforce callback shows. Pure: data in, blocks out; every text from a CRM or a person is escaped.

export const CRM_CONNECT_CALLBACK = 'crm_connect';
export const CRM_STAGES_CALLBACK = 'crm_stages';
export const CRM_DISCONNECT_ACTION = 'crm_disconnect';

/** Block ids of the connect modal (also the keys of `response_action: errors`). */
export const CRM_CONNECT_FIELDS = { token: 'crm_token', baseUrl: 'crm_base_url', portal: 'crm_portal' } as const;

/** Block id prefix of a stage's select in the stage-mapping modal; the CRM stage id follows. */
export const CRM_STAGE_BLOCK_PREFIX = 'crm_stage:';

export const CRM_VENDOR_NAMES: Readonly<Record<TCrmVendor, string>> = { hubspot: 'HubSpot', pipedrive: 'Pipedrive', salesforce: 'Salesforce' };

export function vendorName(vendor: string): string {
  return CRM_VENDOR_NAMES[vendor as TCrmVendor] ?? vendor;
}

/** What the connect modal carries to its submission (sealed for the team and the admin). */
export interface TCrmConnectMeta {
  vendor: 'hubspot' | 'pipedrive';
  channelId: string | null;
}

/**
 * The connect modal for a token-based CRM: the token (never prefilled, never shown back), an
 * optional API base URL (sandboxes), and for HubSpot the account id its webhooks name.
 *
 * @example buildCrmConnectModal({ meta: { vendor: 'hubspot', channelId: 'C1' }, seal: (s) => s }).callback_id // 'crm_connect'
 */
export function buildCrmConnectModal(o: { meta: TCrmConnectMeta; seal: (json: string) => string }): View {
  const name = vendorName(o.meta.vendor);
  const where =
    o.meta.vendor === 'hubspot'
      ? 'a HubSpot *private app* access token (Settings → Integrations → Private apps) with the scopes `crm.objects.deals.read`, `crm.objects.deals.write` (write-back only), `crm.objects.owners.read` and `crm.schemas.deals.read`'
      : 'a Pipedrive *personal API token* (Personal preferences → API) of a user who sees every deal';
  const blocks: KnownBlock[] = [
    section(`Paste ${where}. It is checked with one call to ${name}, stored encrypted and never shown again.`),
    textInput(CRM_CONNECT_FIELDS.token, `${name} API token`, { maxLength: 500, placeholder: o.meta.vendor === 'hubspot' ? 'pat-eu1-…' : '40 hex characters' }),
  ];
  if (o.meta.vendor === 'hubspot') {
    blocks.push(textInput(CRM_CONNECT_FIELDS.portal, 'HubSpot account ID (for webhooks)', { maxLength: 20, optional: true, placeholder: '12345678', hint: 'Shown in HubSpot’s account menu. Needed only if you set up the HubSpot webhook for near-instant updates.' }));
  }
  blocks.push(textInput(CRM_CONNECT_FIELDS.baseUrl, 'API base URL (sandboxes only)', { maxLength: 300, optional: true, placeholder: o.meta.vendor === 'hubspot' ? 'https://api.hubapi.com' : 'https://yourcompany.pipedrive.com', hint: 'Leave empty for the normal API.' }));
  return {
    type: 'modal',
    callback_id: CRM_CONNECT_CALLBACK,
    title: plainText(`Connect ${name}`, LIMITS.viewTitle),
    submit: plainText('Connect', LIMITS.viewTitle),
    close: plainText('Cancel', LIMITS.viewTitle),
    private_metadata: o.seal(truncate(JSON.stringify(o.meta), LIMITS.privateMetadata - SEAL_OVERHEAD)),
    blocks,
  };
}

/**
 * The private confirmation after connecting. For Pipedrive it carries the webhook URL and the
 * basic-auth login, shown this once; for HubSpot the webhook URL to subscribe.
 *
 * @example buildCrmConnected({ vendor: 'hubspot', webhookUrl: 'https://kpi.example.com/crm/hubspot/webhook', pipedrive: null, hubspotPortal: null }).text
 */
export function buildCrmConnected(o: { vendor: TCrmVendor; webhookUrl: string; pipedrive: TPipedriveWebhookLogin | null; hubspotPortal: string | null; stages?: number }): SlackMessage {
  const name = vendorName(o.vendor);
  const lines = [`:white_check_mark: *${name} is connected.* The first full load starts within a minute; \`/kpi crm status\` shows its progress. Map stages with \`/kpi crm stages\`.`];
  if (o.vendor === 'pipedrive' && o.pipedrive) {
    lines.push(
      `*Webhook (optional, near-instant updates):* in Pipedrive, Tools and apps → Webhooks → Create new webhook, event \`*.deal\` (v2), endpoint URL \`${escapeMrkdwn(o.webhookUrl)}\`, HTTP Auth user \`${escapeMrkdwn(o.pipedrive.user)}\`, password \`${escapeMrkdwn(o.pipedrive.password)}\`.`,
      ':lock: This password is shown only now. Connecting again makes a new one.',
    );
  }
  if (o.vendor === 'hubspot') {
    lines.push(
      o.hubspotPortal
        ? `*Webhook (optional, near-instant updates):* in your HubSpot app's Webhooks settings, target URL \`${escapeMrkdwn(o.webhookUrl)}\`, subscribe to deal creation, deletion, merge and property changes.`
        : 'Without the HubSpot account ID, webhooks are not matched to this workspace: changes arrive with the scheduled sync (about every minute).',
    );
  }
  const text = lines.join('\n');
  return { text, blocks: [section(text)] };
}

/**
 * The private answer to `/kpi crm connect salesforce`: a button that opens Salesforce's consent screen.
 *
 * @example buildSalesforceConnectLink({ url: 'https://login.salesforce.com/services/oauth2/authorize?…', minutes: 10 }).blocks?.length // 2
 */
export function buildSalesforceConnectLink(o: { url: string; minutes: number }): SlackMessage {
  const text = `Open Salesforce to let the app read opportunities (scopes \`api\`, \`refresh_token\`). The link works once, for you, for ${o.minutes} minutes.`;
  return {
    text,
    blocks: [
      section(text),
      { type: 'actions', block_id: 'crm_salesforce', elements: [{ type: 'button', action_id: 'crm_salesforce_open', text: plainText('Connect Salesforce', LIMITS.buttonText), url: o.url, style: 'primary' }] },
    ],
  };
}

/** `1 h 5 min`, `42 s`. @example formatLag(3900) // '1 h 5 min' */
export function formatLag(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} days`;
}

const HEALTH: Readonly<Record<TCrmStatusView['status'], string>> = {
  active: ':large_green_circle: healthy',
  failing: ':red_circle: failing',
  revoked: ':no_entry: credentials revoked',
  disconnected: ':white_circle: disconnected',
};

function statusLines(s: TCrmStatusView, timeZone: string, now: Date): string[] {
  const at = (d: Date | null) => (d ? formatInstant(d, timeZone) : 'never');
  const lines = [`*${vendorName(s.vendor)}*: ${HEALTH[s.status]}${s.syncing ? ' · syncing now' : ''}${s.backfilling && s.status !== 'disconnected' ? ' · first full load in progress' : ''}`];
  lines.push(`Last sync: ${at(s.lastSyncAt)} · last success: ${at(s.lastSuccessAt)}${s.lagSeconds !== null ? ` (lag ${formatLag(s.lagSeconds)})` : ''}`);
  lines.push(`Deals synced: ${formatCount(s.dealsSynced)} · removed: ${formatCount(s.removals)}`);
  if (s.usage) {
    const daily = s.usage.dailyLimit !== null && s.usage.dailyRemaining !== null ? ` · daily limit: ${formatCount(s.usage.dailyLimit - s.usage.dailyRemaining)} of ${formatCount(s.usage.dailyLimit)} used` : '';
    lines.push(`API calls (last run): ${formatCount(s.usage.calls)}${daily}${s.usage.throttled ? ` · rate-limited ${formatCount(s.usage.throttled)}×` : ''}`);
  }
  if (s.lastError) lines.push(`Last error: ${escapeMrkdwn(truncate(s.lastError, 500))}`);
  if (s.status === 'disconnected') lines.push('Not syncing. Connect again with `/kpi crm connect …`.');
  else if (s.status === 'revoked') lines.push('Not syncing until an admin connects again.');
  else lines.push(`Next attempt: ${s.nextAttemptAt && s.nextAttemptAt.getTime() > now.getTime() ? formatInstant(s.nextAttemptAt, timeZone) : 'at the next tick (within a minute)'}`);
  return lines;
}

/**
 * `/kpi crm status`: health, last sync, lag, counts, API use, the last error (stored redacted,
 * escaped here) and the next attempt; no credential ever appears.
 *
 * @example buildCrmStatus({ status: null, writeBack: false, timeZone: 'UTC', now }).text // 'No CRM is connected. …'
 */
export function buildCrmStatus(o: { status: TCrmStatusView | null; writeBack: boolean; timeZone: string; now: Date }): SlackMessage {
  if (!o.status) {
    const text = 'No CRM is connected. An admin connects one with `/kpi crm connect hubspot`, `pipedrive` or `salesforce`.';
    return { text, blocks: [section(text)] };
  }
  const lines = statusLines(o.status, o.timeZone, o.now);
  lines.push(`Write-back from \`/deal\`: ${o.writeBack ? 'on' : 'off'}`);
  const text = lines.join('\n');
  return { text, blocks: [section(text)] };
}

/** `1 h 5 min`, `42 s` in the reader's language (the Home's CRM section). */
function lagL(seconds: number, tr: TTranslate): string {
  if (seconds < 60) return tr('home.crm.seconds', { n: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return tr('home.crm.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? tr('home.crm.hoursMinutes', { h: hours, m: minutes % 60 }) : tr('home.crm.hours', { h: hours });
  return tr('home.crm.days', { n: Math.floor(hours / 24) });
}

/**
 * The CRM section of an admin's App Home (nothing for others, nor without a connection), in the
 * reader's language: health, last sync and success with the lag, the last error (stored redacted,
 * escaped here, as the CRM wrote it) and what happens next when it is not syncing (`now` is the
 * caller's clock; the Home names no next attempt).
 *
 * @example buildCrmHomeSection(null, 'UTC', now) // []
 */
export function buildCrmHomeSection(status: TCrmStatusView | null, timeZone: string, now: Date, locale: TLocale = 'en'): KnownBlock[] {
  if (!status) return [];
  const s = status;
  const tr = translator(locale);
  const at = (d: Date | null) => (d ? formatInstantL(locale, d, timeZone) : tr('home.crm.never'));
  const lines = [
    tr('home.crm.health', { vendor: vendorName(s.vendor), status: s.status, syncing: s.syncing ? 'yes' : 'no', backfilling: s.backfilling && s.status !== 'disconnected' ? 'yes' : 'no' }),
    tr('home.crm.lastSync', { lastSync: at(s.lastSyncAt), lastSuccess: at(s.lastSuccessAt), lag: s.lagSeconds !== null ? tr('home.crm.lag', { lag: lagL(s.lagSeconds, tr) }) : '' }),
  ];
  if (s.lastError) lines.push(tr('home.crm.lastError', { error: escapeMrkdwn(truncate(s.lastError, 500)) }));
  if (s.status === 'disconnected') lines.push(tr('home.crm.disconnected'));
  else if (s.status === 'revoked') lines.push(tr('home.crm.revoked'));
  return [{ type: 'divider' }, section(`${tr('home.crm.title')}\n${lines.join('\n')}`), context(tr('home.crm.links'))];
}

/**
 * Asks for confirmation before disconnecting (the button's value is sealed by the caller).
 *
 * @example buildCrmDisconnectConfirm({ vendor: 'hubspot', value: 'sealed' }).blocks?.length // 2
 */
export function buildCrmDisconnectConfirm(o: { vendor: TCrmVendor; value: string }): SlackMessage {
  const name = vendorName(o.vendor);
  const text = `Disconnect ${name}? The sync stops and the stored credentials are deleted. Deals already synced stay.`;
  return {
    text,
    blocks: [
      section(text),
      {
        type: 'actions',
        block_id: 'crm_disconnect',
        elements: [
          {
            type: 'button',
            action_id: CRM_DISCONNECT_ACTION,
            style: 'danger',
            text: plainText(`Disconnect ${name}`, LIMITS.buttonText),
            value: o.value,
            confirm: { title: plainText('Disconnect?', 100), text: plainText(`Stop syncing ${name} and delete its credentials?`, 300), confirm: plainText('Disconnect', 30), deny: plainText('Keep it', 30) },
          },
        ],
      },
    ],
  };
}

/** @example buildCrmDisconnected('hubspot').text // ':electric_plug: HubSpot is disconnected. …' */
export function buildCrmDisconnected(vendor: TCrmVendor): SlackMessage {
  const text = `:electric_plug: ${vendorName(vendor)} is disconnected. Its credentials were deleted; synced deals stay. Connect again with \`/kpi crm connect ${vendor}\`.`;
  return { text, blocks: [section(text)] };
}

/**
 * `/kpi crm owners`: CRM owners not matched to anyone in Slack first, then the matched ones.
 *
 * @example buildCrmOwnerList([]).text // 'No CRM owners yet: …'
 */
export function buildCrmOwnerList(owners: readonly TCrmOwnerLink[]): SlackMessage {
  if (owners.length === 0) {
    const text = 'No CRM owners yet: they appear after the first sync.';
    return { text, blocks: [section(text)] };
  }
  const who = (o: TCrmOwnerLink) => `\`${escapeMrkdwn(truncate(o.crmOwnerId, 60))}\`${o.email ? ` ${escapeMrkdwn(truncate(o.email, 120))}` : ''}`;
  const unmatched = owners.filter((o) => !o.matched);
  const matched = owners.filter((o) => o.matched);
  const lines: string[] = [];
  lines.push(unmatched.length ? `*Not matched to anyone in Slack (${unmatched.length})*: their deals count for a stand-in rep.` : '*Every CRM owner is matched to someone in Slack.*');
  for (const o of unmatched.slice(0, 40)) lines.push(`• ${who(o)} → stand-in “${escapeMrkdwn(truncate(o.repName, 80))}”`);
  if (unmatched.length > 40) lines.push(`…and ${unmatched.length - 40} more.`);
  if (matched.length) lines.push(`*Matched (${matched.length})*`);
  for (const o of matched.slice(0, 40)) lines.push(`• ${who(o)} → <@${o.slackUserId ?? ''}>`);
  if (matched.length > 40) lines.push(`…and ${matched.length - 40} more.`);
  lines.push('Fix one with `/kpi crm owner <CRM owner id or email> @rep`.');
  const text = truncate(lines.join('\n'), LIMITS.sectionText);
  return { text, blocks: [section(text)] };
}

/** @example buildCrmOwnerLinked({ crmOwnerId: '42', userId: 'U1', moved: 3 }).text // 'CRM owner `42` is now <@U1>: 3 deals moved.' */
export function buildCrmOwnerLinked(o: { crmOwnerId: string; userId: string; moved: number }): SlackMessage {
  const text = `CRM owner \`${escapeMrkdwn(truncate(o.crmOwnerId, 60))}\` is now <@${o.userId}>: ${formatCount(o.moved)} ${o.moved === 1 ? 'deal' : 'deals'} moved.`;
  return { text, blocks: [section(`:link: ${text}`)] };
}

export interface TCrmStageRow {
  crmStageId: string;
  label: string;
  pipelineLabel: string | null;
  target: string;
  edited: boolean;
}

/** Stages the mapping modal shows at most (one select each, within Slack's 100 blocks). */
export const CRM_STAGES_MAX = 95;

/**
 * The stage-mapping modal: one select per CRM stage (funnel stages, won, lost), the current target
 * chosen. Stages beyond `CRM_STAGES_MAX` are named in a note.
 *
 * @example buildCrmStagesModal({ stages, funnel: ['lead', 'demo'], meta: { channelId: 'C1' }, seal: (s) => s }).callback_id // 'crm_stages'
 */
export function buildCrmStagesModal(o: { stages: readonly TCrmStageRow[]; funnel: readonly string[]; meta: { channelId: string | null }; seal: (json: string) => string }): View {
  const targets = [...o.funnel.map((s) => option(s, stageLabel(s))), option('won', 'Won'), option('lost', 'Lost')];
  const shown = o.stages.filter((s) => (CRM_STAGE_BLOCK_PREFIX + s.crmStageId).length <= LIMITS.blockId).slice(0, CRM_STAGES_MAX);
  const blocks: KnownBlock[] = [section('Where each CRM stage lands in the funnel. Defaults come from the CRM’s stage order and its won/closed flags; what you change here is kept by later syncs. Deals already synced take it when they next change in the CRM.')];
  for (const s of shown) {
    const label = s.pipelineLabel ? `${s.pipelineLabel} · ${s.label}` : s.label;
    blocks.push(staticSelect(CRM_STAGE_BLOCK_PREFIX + s.crmStageId, label, targets, s.target, { hint: s.edited ? 'Set by an admin.' : 'Default.' }));
  }
  if (o.stages.length > shown.length) blocks.push(context(escapeMrkdwn(`${o.stages.length - shown.length} more stages are not shown; they keep their mapping.`)));
  return {
    type: 'modal',
    callback_id: CRM_STAGES_CALLBACK,
    title: plainText('CRM stages', LIMITS.viewTitle),
    submit: plainText('Save', LIMITS.viewTitle),
    close: plainText('Cancel', LIMITS.viewTitle),
    private_metadata: o.seal(truncate(JSON.stringify(o.meta), LIMITS.privateMetadata - SEAL_OVERHEAD)),
    blocks,
  };
}

/** @example buildCrmStagesSaved(2).text // 'Saved 2 stage mappings. …' */
export function buildCrmStagesSaved(changed: number): SlackMessage {
  const text = changed === 0 ? 'Nothing changed in the stage mapping.' : `Saved ${changed} stage ${changed === 1 ? 'mapping' : 'mappings'}. Deals take it when they next change in the CRM, or on a full reload (\`npm run sync -- --full\`).`;
  return { text, blocks: [section(text)] };
}

/** @example buildCrmWriteBackAnswer({ on: true, vendor: 'hubspot' }).text */
export function buildCrmWriteBackAnswer(o: { on: boolean; vendor: TCrmVendor | null }): SlackMessage {
  const vendorNote = o.vendor === 'salesforce' && o.on ? ' Salesforce deals cannot be written back yet: `/deal` explains that the CRM owns them.' : '';
  const text = o.on
    ? `:pencil2: Write-back is on: \`/deal won|lost|stage\` on a deal synced from the CRM changes it in the CRM too.${vendorNote}`
    : ':lock: Write-back is off: `/deal` refuses to change deals synced from the CRM and links to them instead.';
  return { text, blocks: [section(text)] };
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * The small page the OAuth callback answers with: self-contained (no external resource), every
 * text escaped.
 *
 * @example buildCrmCallbackPage({ ok: true, title: 'Salesforce is connected', detail: 'Back to Slack.' }).includes('<script') // false
 */
export function buildCrmCallbackPage(o: { ok: boolean; title: string; detail: string }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${html(o.title)}</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1d1c1d}h1{font-size:1.4rem}</style></head><body><h1>${o.ok ? '✅' : '⚠️'} ${html(o.title)}</h1><p>${html(o.detail)}</p></body></html>`;
}

/**
 * `/deal` on a deal the CRM owns, refused: why, where to change it instead (a link when known).
 *
 * @example buildCrmOwnedRefusal({ customer: 'Acme', vendor: 'hubspot', url: null, reason: 'write-back-off' }).text
 */
export function buildCrmOwnedRefusal(o: { customer: string; vendor: TCrmVendor; url: string | null; reason: 'write-back-off' | 'vendor' | 'not-connected' | 'no-stage'; target?: string }): SlackMessage {
  const name = vendorName(o.vendor);
  const why: Record<typeof o.reason, string> = {
    'write-back-off': `${name} owns it, and changes from Slack are not written back to ${name} in this workspace (an admin can turn that on with \`/kpi crm writeback on\`).`,
    vendor: `${name} owns it, and the app cannot write changes back to ${name} yet.`,
    'not-connected': `${name} owns it, and ${name} is not connected right now, so the change cannot be written back.`,
    'no-stage': `${name} owns it, and no ${name} stage is mapped to “${escapeMrkdwn(stageLabel(o.target ?? ''))}” (an admin maps stages with \`/kpi crm stages\`).`,
  };
  const link = o.url ? ` <${o.url}|Open it in ${name}>.` : ` Change it in ${name}.`;
  const text = `:lock: The ${escapeMrkdwn(truncate(o.customer, 120))} deal was not changed: ${why[o.reason]}${link} The next sync brings the change here.`;
  return { text, blocks: [section(text)] };
}

/** @example buildCrmWriteBackFailed({ customer: 'Acme', vendor: 'hubspot', problem: 'HubSpot refused the app’s token' }).text */
export function buildCrmWriteBackFailed(o: { customer: string; vendor: TCrmVendor; problem: string }): SlackMessage {
  const name = vendorName(o.vendor);
  const text = `:warning: The ${escapeMrkdwn(truncate(o.customer, 120))} deal was not changed here: ${escapeMrkdwn(o.problem)}. Try again, or change it in ${name}.`;
  return { text, blocks: [section(text)] };
}
