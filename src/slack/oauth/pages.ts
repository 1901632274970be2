/**
 * The pages a person sees while installing (issue #11): small, accessible HTML (a language, a title,
 * one h1), no external resources (styles inline, no scripts, images or fonts), every text escaped.
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
  'body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1d1d1d}' +
  'a.button{display:inline-block;padding:.7rem 1.2rem;background:#4a154b;color:#fff;border-radius:6px;text-decoration:none;font-weight:600}' +
  'a.button:focus{outline:3px solid #1d9bd1;outline-offset:2px}';

function page(title: string, body: string): string {
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${escapeHtml(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n<main>\n${body}\n</main>\n</body>\n</html>\n`
  );
}

/**
 * The install page: one "Add to Slack" link to Slack's authorize URL (with the scopes and state).
 *
 * @example installPage('https://slack.com/oauth/v2/authorize?client_id=1.2&scope=commands&state=s') // '<!doctype html>…Add to Slack…'
 */
export function installPage(authorizeUrl: string): string {
  return page(
    'Install Sales KPIs',
    '<h1>Install Sales KPIs</h1>\n' +
      '<p>Sales KPIs answers <code>/kpi</code> and <code>/deal</code> in your Slack workspace. Installing asks you to allow it to post messages, run its commands and read basic user and channel information.</p>\n' +
      `<p><a class="button" id="add-to-slack" href="${escapeHtml(authorizeUrl)}">Add to Slack</a></p>`,
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
      `<p>To try again, <a href="${escapeHtml(opts.installPath)}">start the installation again</a>. If it keeps failing, ask a workspace admin whether apps may be installed, and give the app's operator the time of this attempt.</p>`,
  );
}
