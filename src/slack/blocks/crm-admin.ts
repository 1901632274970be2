import type { KnownBlock, View } from '@slack/types';
import type { TCrmStatusView } from '../../domain/crm/manage-crm.js';
import type { TCrmOwnerLink, TPipedriveWebhookLogin } from '../../domain/crm/crm-slack-settings.js';
import type { TCrmVendor } from '../../domain/crm/crm-source.js';
import { stageLabel } from '../../domain/deals/stages.js';
import { formatCountL, formatDurationL, formatInstantL } from '../../i18n/format.js';
import type { TLocale } from '../../i18n/locales.js';
import { translator, type TMessageKey } from '../../i18n/t.js';
import { escapeHtml, pageHtml, pageText } from '../oauth/pages.js';
import type { SlackMessage } from '../gateway.js';
import { SEAL_OVERHEAD } from '../sealed-values.js';
import { option, plainText, staticSelect, textInput } from './inputs.js';
import { escapeMrkdwn, LIMITS, truncate } from './limits.js';
import { localStageLabel } from './kpi/funnel.js';
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
export function buildCrmConnectModal(o: { meta: TCrmConnectMeta; seal: (json: string) => string; locale?: TLocale }): View {
  const tr = translator(o.locale ?? 'en');
  const name = vendorName(o.meta.vendor);
  const blocks: KnownBlock[] = [
    section(tr(o.meta.vendor === 'hubspot' ? 'crm.connect.introHubspot' : 'crm.connect.introPipedrive', { name })),
    textInput(CRM_CONNECT_FIELDS.token, tr('crm.connect.tokenLabel', { name }), { maxLength: 500, placeholder: o.meta.vendor === 'hubspot' ? 'pat-eu1-…' : tr('crm.connect.pipedrivePlaceholder') }),
  ];
  if (o.meta.vendor === 'hubspot') {
    blocks.push(textInput(CRM_CONNECT_FIELDS.portal, tr('crm.connect.portalLabel'), { maxLength: 20, optional: true, placeholder: '12345678', hint: tr('crm.connect.portalHint') }));
  }
  blocks.push(textInput(CRM_CONNECT_FIELDS.baseUrl, tr('crm.connect.baseUrlLabel'), { maxLength: 300, optional: true, placeholder: o.meta.vendor === 'hubspot' ? 'https://api.hubapi.com' : 'https://yourcompany.pipedrive.com', hint: tr('crm.connect.baseUrlHint') }));
  return {
    type: 'modal',
    callback_id: CRM_CONNECT_CALLBACK,
    title: plainText(tr('crm.connect.title', { name }), LIMITS.viewTitle),
    submit: plainText(tr('crm.connect.submit'), LIMITS.viewTitle),
    close: plainText(tr('crm.modal.cancel'), LIMITS.viewTitle),
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
export function buildCrmConnected(o: { vendor: TCrmVendor; webhookUrl: string; pipedrive: TPipedriveWebhookLogin | null; hubspotPortal: string | null; stages?: number; locale?: TLocale }): SlackMessage {
  const tr = translator(o.locale ?? 'en');
  const name = vendorName(o.vendor);
  const lines = [tr('crm.connected.intro', { name })];
  if (o.vendor === 'pipedrive' && o.pipedrive) {
    lines.push(tr('crm.connected.pipedriveWebhook', { url: escapeMrkdwn(o.webhookUrl), user: escapeMrkdwn(o.pipedrive.user), password: escapeMrkdwn(o.pipedrive.password) }), tr('crm.connected.passwordOnce'));
  }
  if (o.vendor === 'hubspot') {
    lines.push(o.hubspotPortal ? tr('crm.connected.hubspotWebhook', { url: escapeMrkdwn(o.webhookUrl) }) : tr('crm.connected.hubspotNoPortal'));
  }
  const text = lines.join('\n');
  return { text, blocks: [section(text)] };
}

/**
 * The private answer to `/kpi crm connect salesforce`: a button that opens Salesforce's consent screen.
 *
 * @example buildSalesforceConnectLink({ url: 'https://login.salesforce.com/services/oauth2/authorize?…', minutes: 10 }).blocks?.length // 2
 */
export function buildSalesforceConnectLink(o: { url: string; minutes: number; locale?: TLocale }): SlackMessage {
  const tr = translator(o.locale ?? 'en');
  const text = tr('crm.salesforce.text', { minutes: o.minutes });
  return {
    text,
    blocks: [
      section(text),
      { type: 'actions', block_id: 'crm_salesforce', elements: [{ type: 'button', action_id: 'crm_salesforce_open', text: plainText(tr('crm.salesforce.button'), LIMITS.buttonText), url: o.url, style: 'primary' }] },
    ],
  };
}

/** `1 h 5 min`, `42 s` (English; `formatDurationL` for other locales). @example formatLag(3900) // '1 h 5 min' */
export function formatLag(seconds: number): string {
  return formatDurationL('en', seconds);
}

type TStatusLine = { kind: 'head' | 'sync' | 'deals' | 'calls' | 'error' | 'next'; text: string };

function statusLines(s: TCrmStatusView, timeZone: string, now: Date, locale: TLocale): TStatusLine[] {
  const tr = translator(locale);
  const n = (v: number) => formatCountL(locale, v);
  const at = (d: Date | null) => (d ? formatInstantL(locale, d, timeZone) : tr('crm.status.never'));
  const lines: TStatusLine[] = [
    { kind: 'head', text: `${tr('crm.status.head', { name: vendorName(s.vendor), health: tr(`crm.health.${s.status}`) })}${s.syncing ? tr('crm.status.syncing') : ''}${s.backfilling && s.status !== 'disconnected' ? tr('crm.status.backfilling') : ''}` },
    { kind: 'sync', text: `${tr('crm.status.lastSync', { last: at(s.lastSyncAt), success: at(s.lastSuccessAt) })}${s.lagSeconds !== null ? tr('crm.status.lag', { lag: formatDurationL(locale, s.lagSeconds) }) : ''}` },
    { kind: 'deals', text: tr('crm.status.deals', { synced: n(s.dealsSynced), removed: n(s.removals) }) },
  ];
  if (s.usage) {
    const daily = s.usage.dailyLimit !== null && s.usage.dailyRemaining !== null ? tr('crm.status.daily', { used: n(s.usage.dailyLimit - s.usage.dailyRemaining), limit: n(s.usage.dailyLimit) }) : '';
    lines.push({ kind: 'calls', text: `${tr('crm.status.calls', { calls: n(s.usage.calls) })}${daily}${s.usage.throttled ? tr('crm.status.throttled', { times: n(s.usage.throttled) }) : ''}` });
  }
  if (s.lastError) lines.push({ kind: 'error', text: tr('crm.status.lastError', { error: escapeMrkdwn(truncate(s.lastError, 500)) }) });
  if (s.status === 'disconnected') lines.push({ kind: 'error', text: tr('crm.status.disconnected') });
  else if (s.status === 'revoked') lines.push({ kind: 'error', text: tr('crm.status.revoked') });
  else lines.push({ kind: 'next', text: tr('crm.status.next', { when: s.nextAttemptAt && s.nextAttemptAt.getTime() > now.getTime() ? formatInstantL(locale, s.nextAttemptAt, timeZone) : tr('crm.status.nextTick') }) });
  return lines;
}

/**
 * `/kpi crm status`: health, last sync, lag, counts, API use, the last error (stored redacted,
 * escaped here) and the next attempt; no credential ever appears. Figures and dates in the
 * reader's locale.
 *
 * @example buildCrmStatus({ status: null, writeBack: false, timeZone: 'UTC', now }).text // 'No CRM is connected. …'
 */
export function buildCrmStatus(o: { status: TCrmStatusView | null; writeBack: boolean; timeZone: string; now: Date; locale?: TLocale }): SlackMessage {
  const locale = o.locale ?? 'en';
  const tr = translator(locale);
  if (!o.status) {
    const text = tr('crm.status.none');
    return { text, blocks: [section(text)] };
  }
  const lines = statusLines(o.status, o.timeZone, o.now, locale).map((l) => l.text);
  lines.push(tr('crm.status.writeBack', { state: o.writeBack ? 'on' : 'off' }));
  const text = lines.join('\n');
  return { text, blocks: [section(text)] };
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
    tr('home.crm.lastSync', { lastSync: at(s.lastSyncAt), lastSuccess: at(s.lastSuccessAt), lag: s.lagSeconds !== null ? tr('home.crm.lag', { lag: formatDurationL(locale, s.lagSeconds) }) : '' }),
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
export function buildCrmDisconnectConfirm(o: { vendor: TCrmVendor; value: string; locale?: TLocale }): SlackMessage {
  const tr = translator(o.locale ?? 'en');
  const name = vendorName(o.vendor);
  const text = tr('crm.disconnect.text', { name });
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
            text: plainText(tr('crm.disconnect.button', { name }), LIMITS.buttonText),
            value: o.value,
            confirm: { title: plainText(tr('crm.disconnect.confirmTitle'), 100), text: plainText(tr('crm.disconnect.confirmText', { name }), 300), confirm: plainText(tr('crm.disconnect.confirm'), 30), deny: plainText(tr('crm.disconnect.deny'), 30) },
          },
        ],
      },
    ],
  };
}

/** @example buildCrmDisconnected('hubspot').text // ':electric_plug: HubSpot is disconnected. …' */
export function buildCrmDisconnected(vendor: TCrmVendor, locale: TLocale = 'en'): SlackMessage {
  const text = translator(locale)('crm.disconnected', { name: vendorName(vendor), vendor });
  return { text, blocks: [section(text)] };
}

/**
 * `/kpi crm owners`: CRM owners not matched to anyone in Slack first, then the matched ones.
 *
 * @example buildCrmOwnerList([]).text // 'No CRM owners yet: …'
 */
export function buildCrmOwnerList(owners: readonly TCrmOwnerLink[], locale: TLocale = 'en'): SlackMessage {
  const tr = translator(locale);
  const count = (v: number) => (locale === 'en' ? String(v) : formatCountL(locale, v));
  if (owners.length === 0) {
    const text = tr('crm.owners.none');
    return { text, blocks: [section(text)] };
  }
  const who = (o: TCrmOwnerLink) => `\`${escapeMrkdwn(truncate(o.crmOwnerId, 60))}\`${o.email ? ` ${escapeMrkdwn(truncate(o.email, 120))}` : ''}`;
  const unmatched = owners.filter((o) => !o.matched);
  const matched = owners.filter((o) => o.matched);
  const lines: string[] = [];
  lines.push(unmatched.length ? tr('crm.owners.unmatched', { count: count(unmatched.length) }) : tr('crm.owners.allMatched'));
  for (const o of unmatched.slice(0, 40)) lines.push(tr('crm.owners.standIn', { who: who(o), name: escapeMrkdwn(truncate(o.repName, 80)) }));
  if (unmatched.length > 40) lines.push(tr('crm.owners.more', { count: count(unmatched.length - 40) }));
  if (matched.length) lines.push(tr('crm.owners.matched', { count: count(matched.length) }));
  for (const o of matched.slice(0, 40)) lines.push(`• ${who(o)} → <@${o.slackUserId ?? ''}>`);
  if (matched.length > 40) lines.push(tr('crm.owners.more', { count: count(matched.length - 40) }));
  lines.push(tr('crm.owners.fix', { usage: '/kpi crm owner <CRM owner id or email> @rep' }));
  const text = truncate(lines.join('\n'), LIMITS.sectionText);
  return { text, blocks: [section(text)] };
}

/** @example buildCrmOwnerLinked({ crmOwnerId: '42', userId: 'U1', moved: 3 }).text // 'CRM owner `42` is now <@U1>: 3 deals moved.' */
export function buildCrmOwnerLinked(o: { crmOwnerId: string; userId: string; moved: number; locale?: TLocale }): SlackMessage {
  const text = translator(o.locale ?? 'en')('crm.owner.linked', { owner: escapeMrkdwn(truncate(o.crmOwnerId, 60)), user: `<@${o.userId}>`, count: o.moved });
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
export function buildCrmStagesModal(o: { stages: readonly TCrmStageRow[]; funnel: readonly string[]; meta: { channelId: string | null }; seal: (json: string) => string; locale?: TLocale }): View {
  const locale = o.locale ?? 'en';
  const tr = translator(locale);
  const stageName = (s: string) => (locale === 'en' ? stageLabel(s) : localStageLabel(s, locale));
  const targets = [...o.funnel.map((s) => option(s, stageName(s))), option('won', locale === 'en' ? 'Won' : localStageLabel('won', locale)), option('lost', locale === 'en' ? 'Lost' : localStageLabel('lost', locale))];
  const shown = o.stages.filter((s) => (CRM_STAGE_BLOCK_PREFIX + s.crmStageId).length <= LIMITS.blockId).slice(0, CRM_STAGES_MAX);
  const blocks: KnownBlock[] = [section(tr('crm.stages.intro'))];
  for (const s of shown) {
    const label = s.pipelineLabel ? `${s.pipelineLabel} · ${s.label}` : s.label;
    blocks.push(staticSelect(CRM_STAGE_BLOCK_PREFIX + s.crmStageId, label, targets, s.target, { hint: tr(s.edited ? 'crm.stages.edited' : 'crm.stages.default') }));
  }
  if (o.stages.length > shown.length) blocks.push(context(escapeMrkdwn(tr('crm.stages.more', { count: locale === 'en' ? String(o.stages.length - shown.length) : formatCountL(locale, o.stages.length - shown.length) }))));
  return {
    type: 'modal',
    callback_id: CRM_STAGES_CALLBACK,
    title: plainText(tr('crm.stages.title'), LIMITS.viewTitle),
    submit: plainText(tr('crm.stages.submit'), LIMITS.viewTitle),
    close: plainText(tr('crm.modal.cancel'), LIMITS.viewTitle),
    private_metadata: o.seal(truncate(JSON.stringify(o.meta), LIMITS.privateMetadata - SEAL_OVERHEAD)),
    blocks,
  };
}

/** @example buildCrmStagesSaved(2).text // 'Saved 2 stage mappings. …' */
export function buildCrmStagesSaved(changed: number, locale: TLocale = 'en'): SlackMessage {
  const tr = translator(locale);
  const text = changed === 0 ? tr('crm.stages.unchanged') : tr('crm.stages.saved', { count: changed });
  return { text, blocks: [section(text)] };
}

/** @example buildCrmWriteBackAnswer({ on: true, vendor: 'hubspot' }).text */
export function buildCrmWriteBackAnswer(o: { on: boolean; vendor: TCrmVendor | null; locale?: TLocale }): SlackMessage {
  const tr = translator(o.locale ?? 'en');
  const vendorNote = o.vendor === 'salesforce' && o.on ? tr('crm.writeBack.salesforceNote') : '';
  const text = o.on ? `${tr('crm.writeBack.on')}${vendorNote}` : tr('crm.writeBack.off');
  return { text, blocks: [section(text)] };
}

/** What the CRM OAuth callback page tells the admin (`slack/crm-routes.ts`). */
export type TCrmCallbackOutcome =
  | { kind: 'connected' }
  | { kind: 'notSetUp' }
  | { kind: 'badLink'; why: 'unknown' | 'expired' }
  /** The consent was refused; `error` is the CRM's own code (quoted as it came, escaped). */
  | { kind: 'denied'; error: string | null }
  | { kind: 'refused' }
  | { kind: 'unreachable' };

/** The variables an operator sets for Salesforce (names, shown as code). */
const SALESFORCE_VARIABLES = ['SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET', 'PUBLIC_URL', 'CRM_ENCRYPTION_KEY'];

/**
 * The small page the OAuth callback answers with, in `locale` (the admin who started the flow, else
 * the browser's): the install pages' template (`slack/oauth/pages.ts`: `<html lang>`, one inline
 * style allowed by its hash, nothing loaded from elsewhere), every text escaped, commands and
 * variable names as code.
 *
 * @example buildCrmCallbackPage({ kind: 'connected' }, 'vi').includes('<html lang="vi">') // true
 */
export function buildCrmCallbackPage(o: TCrmCallbackOutcome, locale: TLocale = 'en', vendor: TCrmVendor = 'salesforce'): string {
  const name = vendorName(vendor);
  const code = (text: string) => `<code>${escapeHtml(text)}</code>`;
  const retry = pageText(locale, 'page.crm.retry', {}, { command: code(`/kpi crm connect ${vendor}`) });
  const [titleKey, detail]: [TMessageKey, string] = (() => {
    switch (o.kind) {
      case 'connected':
        return ['page.crm.connected.title', pageText(locale, 'page.crm.connected.detail', {}, { status: code('/kpi crm status') })];
      case 'notSetUp':
        return ['page.crm.notSetUp.title', pageText(locale, 'page.crm.notSetUp.detail', {}, { variables: SALESFORCE_VARIABLES.map(code).join(locale === 'zh-CN' ? '、' : ', ') })];
      case 'badLink':
        return ['page.crm.badLink.title', `${pageText(locale, o.why === 'expired' ? 'page.crm.badLink.expired' : 'page.crm.badLink.unknown')} ${retry}`];
      case 'denied':
        return ['page.crm.notConnected.title', `${pageText(locale, 'page.crm.denied', { name, hasError: o.error ? 'yes' : 'no', error: (o.error ?? '').slice(0, 80) })} ${retry}`];
      case 'refused':
        return ['page.crm.notConnected.title', `${pageText(locale, 'page.crm.refused', { name })} ${retry}`];
      case 'unreachable':
        return ['page.crm.notConnected.title', `${pageText(locale, 'page.crm.unreachable', { name })} ${retry}`];
    }
  })();
  const title = pageText(locale, titleKey, { name });
  return pageHtml(locale, title, `<h1>${o.kind === 'connected' ? '✅' : '⚠️'} ${title}</h1>\n<p>${detail}</p>`);
}

/**
 * `/deal` on a deal the CRM owns, refused: why, where to change it instead (a link when known).
 *
 * @example buildCrmOwnedRefusal({ customer: 'Acme', vendor: 'hubspot', url: null, reason: 'write-back-off' }).text
 */
export function buildCrmOwnedRefusal(o: { customer: string; vendor: TCrmVendor; url: string | null; reason: 'write-back-off' | 'vendor' | 'not-connected' | 'no-stage'; target?: string; locale?: TLocale }): SlackMessage {
  const locale = o.locale ?? 'en';
  const tr = translator(locale);
  const name = vendorName(o.vendor);
  const stage = locale === 'en' ? stageLabel(o.target ?? '') : localStageLabel(o.target ?? '', locale);
  const why: Record<typeof o.reason, string> = {
    'write-back-off': tr('crm.refusal.writeBackOff', { name }),
    vendor: tr('crm.refusal.vendor', { name }),
    'not-connected': tr('crm.refusal.notConnected', { name }),
    'no-stage': tr('crm.refusal.noStage', { name, stage: escapeMrkdwn(stage) }),
  };
  const link = o.url ? tr('crm.refusal.link', { url: o.url, name }) : tr('crm.refusal.changeThere', { name });
  const text = tr('crm.refusal.text', { customer: escapeMrkdwn(truncate(o.customer, 120)), why: why[o.reason], link });
  return { text, blocks: [section(text)] };
}

/** @example buildCrmWriteBackFailed({ customer: 'Acme', vendor: 'hubspot', problem: 'HubSpot refused the app’s token' }).text */
export function buildCrmWriteBackFailed(o: { customer: string; vendor: TCrmVendor; problem: string; locale?: TLocale }): SlackMessage {
  const name = vendorName(o.vendor);
  const text = translator(o.locale ?? 'en')('crm.writeBackFailed', { customer: escapeMrkdwn(truncate(o.customer, 120)), problem: escapeMrkdwn(o.problem), name });
  return { text, blocks: [section(text)] };
}
