import { createHash } from 'node:crypto';
import { BOT_SCOPE_REASONS } from './scopes.js';

/**
 * The pages a person sees while installing (issue #11): small, accessible HTML (a language, a title,
 * one h1 inside a main landmark, words that say what to do next), nothing loaded from elsewhere (one
 * inline style allowed by its hash, no scripts, images or fonts), every text escaped. The headers
 * that go with them (`INSTALL_PAGE_HEADERS`) let the browser enforce that.
 */

/**
 * Escapes text for HTML content and attribute values.
 *
 * @example escapeHtml('<b>"A&B"</b>') // '&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1d1d1d;background:#fff}' +
  'a.button{display:inline-block;padding:.7rem 1.2rem;background:#4a154b;color:#fff;border-radius:6px;text-decoration:none;font-weight:600}' +
  'a.button:focus{outline:3px solid #1d9bd1;outline-offset:2px}' +
  'code{background:#f2f2f2;padding:0 .2rem;border-radius:3px}';

/** The one inline style, allowed by its hash rather than by 'unsafe-inline'. */
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`;

/**
 * Nothing but the page's own inline style may load; no form may post, no page may frame it (an
 * "Add to Slack" button under someone else's overlay), no relative URL may be rebased.
 */
export const INSTALL_PAGE_CSP = `default-src 'none'; style-src ${STYLE_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/** Headers for every install page (install, success, failure). */
export const INSTALL_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': INSTALL_PAGE_CSP,
  'x-content-type-options': 'nosniff',
  // The redirect's URL carries the one-time code and state: no page sends it on as a referrer.
  'referrer-policy': 'no-referrer',
};

function page(title: string, body: string): string {
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${escapeHtml(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n<main>\n${body}\n</main>\n</body>\n</html>\n`
  );
}

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * The install page: what the app will be allowed to do and one "Add to Slack" link to Slack's
 * authorize URL (with the client id, scopes, redirect URL and state).
 *
 * @example installPage('https://slack.com/oauth/v2/authorize?client_id=1.2&scope=commands&state=s') // '<!doctype html>…Add to Slack…'
 */
export function installPage(authorizeUrl: string): string {
  const asks = BOT_SCOPE_REASONS.map((s) => `<li>${escapeHtml(sentence(s.why))}</li>`).join('\n');
  return page(
    'Install Sales KPIs',
    '<h1>Install Sales KPIs</h1>\n' +
      '<p>Sales KPIs answers <code>/kpi</code> and <code>/deal</code> in your Slack workspace: reps log deals from chat, anyone asks for win rate, quota or revenue, and a channel gets a weekly digest.</p>\n' +
      '<p>To install it, choose <strong>Add to Slack</strong>. Slack asks you to pick a workspace and to allow the access below, then brings you back here.</p>\n' +
      `<h2>What the app will be allowed to do</h2>\n<ul>\n${asks}\n</ul>\n` +
      `<p><a class="button" id="add-to-slack" href="${escapeHtml(authorizeUrl)}">Add to Slack</a></p>\n` +
      '<p>If Slack says an admin must approve the app, ask a workspace admin to approve or install it.</p>',
  );
}

/**
 * The page after a successful install.
 *
 * @example successPage({ teamName: 'Acme' }) // '…<h1>Sales KPIs is installed</h1>…Acme…'
 */
export function successPage(opts: { teamName: string | null }): string {
  const where = opts.teamName ? ` in ${escapeHtml(opts.teamName)}` : '';
  return page(
    'Sales KPIs is installed',
    '<h1>Sales KPIs is installed</h1>\n' +
      `<p>The app is ready${where}. Open Slack and type <code>/kpi help</code> or <code>/deal help</code> in any channel to start.</p>\n` +
      '<p>For deal announcements and the weekly digest in a channel, invite the app there: <code>/invite @Sales KPIs</code>.</p>\n' +
      '<p>You can close this page.</p>',
  );
}

/** Why an install did not finish, in words a person can act on. */
export type TInstallFailure = 'cancelled' | 'expired' | 'failed';

/**
 * The page after a failed or cancelled install: what happened and what to do.
 *
 * @example failurePage({ reason: 'cancelled', installPath: '/slack/install' }) // '…<h1>Sales KPIs was not installed</h1>…'
 */
export function failurePage(opts: { reason: TInstallFailure; installPath: string }): string {
  const why =
    opts.reason === 'cancelled'
      ? 'The installation was cancelled in Slack, so nothing was installed.'
      : opts.reason === 'expired'
        ? 'This installation link has expired or was not started from this browser, so nothing was installed.'
        : 'Slack did not complete the installation, so nothing was installed.';
  return page(
    'Sales KPIs was not installed',
    '<h1>Sales KPIs was not installed</h1>\n' +
      `<p>${escapeHtml(why)}</p>\n` +
      `<p>To try again, <a href="${escapeHtml(opts.installPath)}">start the installation again</a> in this browser. If it keeps failing, ask a workspace admin whether apps may be installed, and give the app's operator the time of this attempt.</p>`,
  );
}
