import { createHash } from 'node:crypto';
import { BOT_SCOPE_REASONS } from './scopes.js';
import { DEFAULT_LOCALE, toLocale, type TLocale } from '../../i18n/locales.js';
import { t, type TMessageKey } from '../../i18n/t.js';

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

/** Headers for every install page (install, success, failure); `content-language` is added per page. */
export const INSTALL_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': INSTALL_PAGE_CSP,
  'x-content-type-options': 'nosniff',
  // The redirect's URL carries the one-time code and state: no page sends it on as a referrer.
  'referrer-policy': 'no-referrer',
};

/** The `<html lang>` of each language. */
const HTML_LANG: Readonly<Record<TLocale, string>> = { en: 'en', vi: 'vi', 'zh-CN': 'zh-CN' };

const APP_NAME = 'Sales KPIs';

/**
 * The page language a browser asks for in `Accept-Language` (issue #12): Vietnamese (`vi`, `vi-VN`),
 * Simplified Chinese (`zh`, `zh-CN`, `zh-Hans…`, `zh-SG`), else English. Entries are tried in
 * order of their `q`; Traditional Chinese (`zh-TW`, `zh-HK`, `zh-Hant`) is not read as Simplified.
 *
 * @example
 * pageLocale('vi-VN,vi;q=0.9,en;q=0.8'); // 'vi'
 * pageLocale('zh-TW,zh;q=0.9'); // 'zh-CN' (the plain `zh` after it)
 * pageLocale('zh-TW,en;q=0.9'); // 'en'
 * pageLocale(undefined); // 'en'
 */
export function pageLocale(acceptLanguage: string | readonly string[] | undefined): TLocale {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : (acceptLanguage ?? '');
  const ranked = String(header)
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((e) => e.tag !== '' && e.tag !== '*' && e.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (/^zh-(hant|tw|hk|mo)\b/i.test(tag)) continue;
    const locale = toLocale(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}

/**
 * A catalog message as HTML: its text escaped, then each `html` placeholder replaced by its markup
 * (`<code>/kpi</code>`, a link), which the catalog text never contains. Also the CRM callback page's.
 *
 * @example pageText('vi', 'page.success.close') // 'Bạn có thể đóng thẻ này …'
 */
export function pageText(locale: TLocale, key: TMessageKey, values: Readonly<Record<string, string>> = {}, html: Readonly<Record<string, string>> = {}): string {
  const markers = Object.fromEntries(Object.keys(html).map((name, i) => [name, `\u0001${i}\u0001`]));
  // Text content: `&`, `<` and `>` are all that need escaping (quotes only matter in attributes).
  let out = t(locale, key, { ...values, ...markers }).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c);
  Object.values(html).forEach((markup, i) => {
    out = out.split(`\u0001${i}\u0001`).join(markup);
  });
  return out;
}

/** A whole page: `<html lang>`, the title (HTML, already escaped), the body inside `<main>`. */
export function pageHtml(locale: TLocale, title: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="${HTML_LANG[locale]}">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<title>${title}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n<main>\n${body}\n</main>\n</body>\n</html>\n`
  );
}

/** A scope's reason as a sentence: capitalised with a full stop, or with `。` in Chinese. */
function sentence(locale: TLocale, reason: string): string {
  return locale === 'zh-CN' ? `${reason}。` : `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`;
}

/** The catalog key of each scope's reason (English: BOT_SCOPE_REASONS, which README and the manifest check). */
const SCOPE_KEYS: Readonly<Record<string, TMessageKey>> = {
  commands: 'page.scope.commands',
  'chat:write': 'page.scope.chatWrite',
  'users:read': 'page.scope.usersRead',
  'users:read.email': 'page.scope.usersReadEmail',
  'channels:read': 'page.scope.channelsRead',
  'groups:read': 'page.scope.groupsRead',
};

/**
 * The install page: what the app will be allowed to do and one "Add to Slack" link to Slack's
 * authorize URL (with the client id, scopes, redirect URL and state), in the browser's language.
 *
 * @example installPage('https://slack.com/oauth/v2/authorize?client_id=1.2&scope=commands&state=s') // '<!doctype html>…Add to Slack…'
 * @example installPage(url, 'vi') // '…<html lang="vi">…Thêm vào Slack…'
 */
export function installPage(authorizeUrl: string, locale: TLocale = DEFAULT_LOCALE): string {
  const why = (s: (typeof BOT_SCOPE_REASONS)[number]) => (locale === 'en' || !SCOPE_KEYS[s.scope] ? s.why : t(locale, SCOPE_KEYS[s.scope]!));
  const asks = BOT_SCOPE_REASONS.map((s) => `<li>${escapeHtml(sentence(locale, why(s)))}</li>`).join('\n');
  const app = { app: APP_NAME };
  const title = pageText(locale, 'page.install.title', app);
  const button = pageText(locale, 'page.install.button');
  return pageHtml(
    locale,
    title,
    `<h1>${title}</h1>\n` +
      `<p>${pageText(locale, 'page.install.intro', app, { kpi: '<code>/kpi</code>', deal: '<code>/deal</code>' })}</p>\n` +
      `<p>${pageText(locale, 'page.install.how', {}, { button: `<strong>${button}</strong>` })}</p>\n` +
      `<h2>${pageText(locale, 'page.install.asks')}</h2>\n<ul>\n${asks}\n</ul>\n` +
      `<p><a class="button" id="add-to-slack" href="${escapeHtml(authorizeUrl)}">${button}</a></p>\n` +
      `<p>${pageText(locale, 'page.install.admin')}</p>`,
  );
}

/**
 * The page after a successful install, in the browser's language.
 *
 * @example successPage({ teamName: 'Acme' }) // '…<h1>Sales KPIs is installed</h1>…Acme…'
 */
export function successPage(opts: { teamName: string | null; locale?: TLocale }): string {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const title = pageText(locale, 'page.success.title', { app: APP_NAME });
  return pageHtml(
    locale,
    title,
    `<h1>${title}</h1>\n` +
      `<p>${pageText(locale, 'page.success.ready', { hasTeam: opts.teamName ? 'yes' : 'no', team: opts.teamName ?? '' }, { kpiHelp: '<code>/kpi help</code>', dealHelp: '<code>/deal help</code>' })}</p>\n` +
      `<p>${pageText(locale, 'page.success.invite', {}, { invite: `<code>/invite @${APP_NAME}</code>` })}</p>\n` +
      `<p>${pageText(locale, 'page.success.close')}</p>`,
  );
}

/** Why an install did not finish, in words a person can act on. */
export type TInstallFailure = 'cancelled' | 'expired' | 'failed';

/**
 * The page after a failed or cancelled install: what happened and what to do, in the browser's language.
 *
 * @example failurePage({ reason: 'cancelled', installPath: '/slack/install' }) // '…<h1>Sales KPIs was not installed</h1>…'
 */
export function failurePage(opts: { reason: TInstallFailure; installPath: string; locale?: TLocale }): string {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const title = pageText(locale, 'page.failure.title', { app: APP_NAME });
  const link = `<a href="${escapeHtml(opts.installPath)}">${pageText(locale, 'page.failure.retryLink')}</a>`;
  return pageHtml(
    locale,
    title,
    `<h1>${title}</h1>\n` + `<p>${pageText(locale, `page.failure.${opts.reason}`)}</p>\n` + `<p>${pageText(locale, 'page.failure.retry', {}, { link })}</p>`,
  );
}
