import { formatCountL, formatInstantL, formatPercentL } from '../../i18n/format.js';
import type { TLocale } from '../../i18n/locales.js';
import { translator } from '../../i18n/t.js';
import { escapeMrkdwn } from './limits.js';

const VENDOR_NAMES: Readonly<Record<string, string>> = { hubspot: 'HubSpot', pipedrive: 'Pipedrive', salesforce: 'Salesforce' };

/**
 * The one message an admin gets when a CRM sync starts failing or its credentials stop working
 * (sent once per failing spell, src/domain/crm/crm-mapping.ts `shouldNotifyAdmin`). The error is
 * the stored, redacted text, escaped here.
 *
 * @example crmFailureNotice({ vendor: 'hubspot', status: 'revoked', error: '401 Unauthorized' }).text
 * // ':warning: HubSpot stopped accepting the app's credentials (401 Unauthorized). …'
 */
export function crmFailureNotice(n: { vendor: string; status: string | null; error: string }, locale: TLocale = 'en'): { text: string } {
  const tr = translator(locale);
  const name = VENDOR_NAMES[n.vendor] ?? n.vendor;
  const error = escapeMrkdwn(n.error);
  return { text: tr(n.status === 'revoked' ? 'crm.notice.revoked' : 'crm.notice.failing', { name, error }) };
}

/** What the full load's progress message shows. */
export type TCrmBackfillState =
  | { state: 'running'; vendor: string; deals: number; total: number | null }
  | { state: 'done'; vendor: string; deals: number; seconds: number }
  | { state: 'failed'; vendor: string; deals: number; error: string; nextAttemptAt: Date | null };

const BAR = 20;

/**
 * The message of a CRM full load, posted once and updated in place as pages arrive (the Slack
 * counterpart of `npm run sync`'s progress bar). The error is the stored, redacted text, escaped.
 *
 * @example crmBackfillMessage({ state: 'done', vendor: 'hubspot', deals: 5000, seconds: 42 }).text
 * // ':white_check_mark: HubSpot: done: 5,000 deals in 42 s.'
 */
export function crmBackfillMessage(s: TCrmBackfillState, locale: TLocale = 'en'): { text: string } {
  const tr = translator(locale);
  const name = VENDOR_NAMES[s.vendor] ?? s.vendor;
  const deals = tr('crm.backfill.deals', { count: s.deals });
  if (s.state === 'done') return { text: tr('crm.backfill.done', { name, deals, seconds: formatCountL(locale, Math.max(0, Math.round(s.seconds))) }) };
  if (s.state === 'failed') {
    const when = s.nextAttemptAt ? (locale === 'en' ? `${s.nextAttemptAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : formatInstantL(locale, s.nextAttemptAt, 'UTC')) : null;
    const retry = when ? tr('crm.backfill.retryAt', { when }) : tr('crm.backfill.retryReconnect');
    return { text: `${tr('crm.backfill.failed', { name, deals, error: escapeMrkdwn(s.error) })}${retry}` };
  }
  if (s.total) {
    const ratio = Math.min(1, s.deals / s.total);
    const filled = Math.round(ratio * BAR);
    const percent = locale === 'en' ? `${Math.floor(ratio * 100)}%` : formatPercentL(locale, Math.floor(ratio * 100) / 100, 0);
    return { text: tr('crm.backfill.progress', { name, bar: `${'█'.repeat(filled)}${'░'.repeat(BAR - filled)}`, percent, deals, total: formatCountL(locale, s.total) }) };
  }
  return { text: tr('crm.backfill.soFar', { name, deals }) };
}
