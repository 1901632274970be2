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
export function crmFailureNotice(n: { vendor: string; status: string | null; error: string }): { text: string } {
  const name = VENDOR_NAMES[n.vendor] ?? n.vendor;
  const error = escapeMrkdwn(n.error);
  if (n.status === 'revoked') {
    return { text: `:warning: ${name} stopped accepting the app's credentials (${error}). Deals are no longer synced until an admin connects ${name} again.` };
  }
  return { text: `:warning: The ${name} sync is failing (${error}). It keeps retrying with a growing delay; you will not be told again until it recovers.` };
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
export function crmBackfillMessage(s: TCrmBackfillState): { text: string } {
  const name = VENDOR_NAMES[s.vendor] ?? s.vendor;
  const deals = `${s.deals.toLocaleString('en-US')} deal${s.deals === 1 ? '' : 's'}`;
  if (s.state === 'done') return { text: `:white_check_mark: ${name}: done: ${deals} in ${Math.max(0, Math.round(s.seconds)).toLocaleString('en-US')} s.` };
  if (s.state === 'failed') {
    const retry = s.nextAttemptAt ? ` It tries again from there at ${s.nextAttemptAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.` : ' It resumes from there once an admin connects it again.';
    return { text: `:warning: ${name}: loading stopped after ${deals}: ${escapeMrkdwn(s.error)}.${retry}` };
  }
  if (s.total) {
    const ratio = Math.min(1, s.deals / s.total);
    const filled = Math.round(ratio * BAR);
    return { text: `:hourglass_flowing_sand: Loading deals from ${name}: \`${'█'.repeat(filled)}${'░'.repeat(BAR - filled)}\` ${Math.floor(ratio * 100)}% — ${deals} of ${s.total.toLocaleString('en-US')}…` };
  }
  return { text: `:hourglass_flowing_sand: Loading deals from ${name}: ${deals} so far…` };
}
