import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BOT_SCOPE_REASONS } from '../../src/slack/oauth/scopes.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * Issue #11: the install, success and failure pages in a real browser (Debian's chromium driven by
 * playwright-core), against the real app in OAuth mode and the fake Slack's authorize page.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NO_CHROMIUM = `Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`;

const OAUTH = {
  SLACK_BOT_TOKEN: '',
  SLACK_CLIENT_ID: '3333333333.4444444444',
  SLACK_CLIENT_SECRET: 'oauth-client-secret-browser',
  SLACK_STATE_SECRET: 'oauth-state-secret-browser-0123456789abcdef',
  SLACK_TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 33).toString('base64'),
};
const MANIFEST_SCOPES = (parse(readFileSync(resolve(import.meta.dirname, '../../manifest.yml'), 'utf8')) as { oauth_config: { scopes: { bot: string[] } } }).oauth_config.scopes.bot;

/** A free loopback port: the app must know its own address (PUBLIC_URL) before it listens. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

interface TSession {
  page: Page;
  context: BrowserContext;
  /** Every URL the browser requested. */
  requests: string[];
  /** Console errors, CSP violations among them. */
  consoleErrors: string[];
}

// A browser round trip per step: more time than the suite's 30 s default on a busy machine.
describe.each(testEngines())('install pages in a browser on %s (issue #11)', { timeout: 90_000 }, (dialect) => {
  let h: Harness;
  let browser: Browser | undefined;
  let appOrigin: string;
  const sessions: TSession[] = [];

  beforeAll(async () => {
    const port = await freePort();
    appOrigin = `http://127.0.0.1:${port}`;
    h = await startHarness(dialect, { ...OAUTH, PUBLIC_URL: appOrigin }, { port });
    h.fake.authorize.redirectUrls.push(`${appOrigin}/slack/oauth_redirect`);
    if (existsSync(CHROMIUM)) browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  /** A fresh browser profile (own cookies) recording its requests and console errors. */
  async function session(locale?: string): Promise<TSession> {
    // Without the browser every test fails with this message: an honest failure, never a skip.
    if (!browser) throw new Error(NO_CHROMIUM);
    // `locale` sets the browser's Accept-Language (issue #12: the pages follow it).
    const context = await browser.newContext(locale ? { locale } : {});
    const page = await context.newPage();
    const s: TSession = { page, context, requests: [], consoleErrors: [] };
    page.on('request', (r) => s.requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') s.consoleErrors.push(`${m.text()} @ ${m.location().url}`);
    });
    sessions.push(s);
    return s;
  }

  /** Nothing left loopback (no font, CDN or analytics), and no page broke its own CSP. */
  async function finish(s: TSession): Promise<void> {
    await s.context.close();
    expect(s.requests.length).toBeGreaterThan(0);
    for (const url of s.requests) expect([appOrigin, h.fake.url]).toContain(new URL(url).origin);
    // Chromium logs a failed status of the page itself (a failure page's 400/500, whose status each
    // test checks) and of the favicon it asks for; any other error (a CSP violation) fails the test.
    const expected = /^Failed to load resource: the server responded with a status of \d+ \(.+\) @ http:\/\/127\.0\.0\.1:\d+\/(favicon\.ico|slack\/oauth_redirect\?.*)$/;
    expect(s.consoleErrors.filter((e) => !expected.test(e))).toEqual([]);
  }

  async function storedInstallKeys(): Promise<string[]> {
    const rows = await h.database.db.prisma.$queryRawUnsafe<Array<{ installKey: string }>>('SELECT "installKey" FROM "SlackInstallation" ORDER BY "installKey"');
    return rows.map((r) => r.installKey);
  }

  /** Structure every page shares: a language, its title, one h1 in a main landmark, images with alt. */
  async function expectAccessiblePage(page: Page, title: string, lang = 'en'): Promise<void> {
    expect(await page.title()).toBe(title);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    await expect.poll(() => page.getByRole('main').count()).toBe(1);
    const h1 = page.getByRole('heading', { level: 1 });
    expect(await h1.count()).toBe(1);
    expect(await h1.textContent()).toBe(title);
    expect(await page.locator('img:not([alt])').count()).toBe(0);
    // Every link has an accessible name a screen reader can announce.
    for (const link of await page.getByRole('link').all()) expect((await link.textContent())?.trim()).not.toBe('');
  }

  function expectPageHeaders(headers: Record<string, string>): void {
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = headers['content-security-policy'] ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['style-src']).toHaveLength(1);
    expect(directives['style-src']![0]).toMatch(/^'sha256-[A-Za-z0-9+/]+=*'$/);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['form-action']).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['cache-control']).toBe('no-store');
  }

  /** Opens the install page: its response, and the Add to Slack link's authorize URL. */
  async function openInstall(s: TSession): Promise<URL> {
    const res = await s.page.goto(`${appOrigin}/slack/install`);
    expect(res?.status()).toBe(200);
    expectPageHeaders(await res!.allHeaders());
    const href = await s.page.getByRole('link', { name: 'Add to Slack' }).getAttribute('href');
    return new URL(href!);
  }

  test('Chromium is installed (CI installs it; without it these checks fail, they never skip)', () => {
    expect(existsSync(CHROMIUM), NO_CHROMIUM).toBe(true);
  });

  test('the install page renders, says what to do, and its Add to Slack link asks Slack for this app, the manifest\'s scopes and this redirect URL', async () => {
    const s = await session();
    const authorize = await openInstall(s);
    const { page } = s;
    await expectAccessiblePage(page, 'Install Sales KPIs');
    await expect.poll(() => page.getByRole('main').innerText()).toContain('To install it, choose Add to Slack');
    // What the app may do, one item per scope, as listed in manifest.yml.
    const items = page.getByRole('main').getByRole('list').getByRole('listitem');
    expect(await items.count()).toBe(MANIFEST_SCOPES.length);
    expect((await items.allInnerTexts()).map((t) => t.toLowerCase())).toEqual(BOT_SCOPE_REASONS.map((r) => `${r.why}.`.toLowerCase()));
    expect(await page.getByRole('main').ariaSnapshot()).toMatch(/- heading "Install Sales KPIs" \[level=1\][\s\S]*- heading "What the app will be allowed to do" \[level=2\][\s\S]*- list:[\s\S]*- link "Add to Slack"/);

    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${h.fake.url}/oauth/v2/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe(OAUTH.SLACK_CLIENT_ID);
    expect(authorize.searchParams.get('scope')?.split(',')).toEqual(MANIFEST_SCOPES);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${appOrigin}/slack/oauth_redirect`);
    expect(authorize.searchParams.get('state')).toMatch(/^\S{20,}$/);

    // The inline style is allowed by its hash (a wrong hash would leave the link unstyled and log a CSP error).
    const link = page.getByRole('link', { name: 'Add to Slack' });
    expect(await link.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor)).toBe('rgb(74, 21, 75)');
    await finish(s);
  });

  test('Add to Slack → Allow at Slack → the success page; the state is accepted and the install stored', async () => {
    h.fake.grant('code-browser-ok', { botToken: 'xoxb-browser-ok', teamId: 'TBROWSER', teamName: 'Browser & Co', userId: 'UINSTALLER' });
    h.fake.authorize.code = 'code-browser-ok';
    const s = await session();
    await openInstall(s);
    const { page } = s;
    // By keyboard: the first Tab reaches Add to Slack, Enter follows it.
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Add to Slack');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.origin === h.fake.url);
    const [done] = await Promise.all([page.waitForResponse((r) => r.url().startsWith(`${appOrigin}/slack/oauth_redirect`)), page.getByRole('link', { name: 'Allow' }).click()]);
    expect(done.status()).toBe(200);
    expectPageHeaders(await done.allHeaders());
    await page.waitForURL((u) => u.origin === appOrigin);
    await expectAccessiblePage(page, 'Sales KPIs is installed');
    const text = await page.getByRole('main').innerText();
    expect(text).toContain('The app is ready in Browser & Co.');
    expect(text).toContain('/kpi help');
    expect(text).toContain('/invite @Sales KPIs');

    // The app exchanged the code naming the same redirect URL, and stored the workspace.
    const exchange = h.fake.callsTo('oauth.v2.access').find((c) => c.args.code === 'code-browser-ok');
    expect(exchange?.args.redirect_uri).toBe(`${appOrigin}/slack/oauth_redirect`);
    expect(exchange?.args.client_id).toBe(OAUTH.SLACK_CLIENT_ID);
    expect(await storedInstallKeys()).toContain('team:TBROWSER');
    await finish(s);
  });

  test('Cancel at Slack → the cancelled page, which leads back to the install page; nothing stored', async () => {
    const before = await storedInstallKeys();
    const exchanges = h.fake.callsTo('oauth.v2.access').length;
    const s = await session();
    await openInstall(s);
    const { page } = s;
    await page.getByRole('link', { name: 'Add to Slack' }).click();
    await page.waitForURL((u) => u.origin === h.fake.url);
    const [res] = await Promise.all([page.waitForResponse((r) => r.url().startsWith(`${appOrigin}/slack/oauth_redirect`)), page.getByRole('link', { name: 'Cancel' }).click()]);
    expect(res.status()).toBe(400);
    expect(new URL(res.url()).searchParams.get('error')).toBe('access_denied');
    expectPageHeaders(await res.allHeaders());
    await expectAccessiblePage(page, 'Sales KPIs was not installed');
    expect(await page.getByRole('main').innerText()).toContain('The installation was cancelled in Slack, so nothing was installed.');
    // What to do next works: the link starts over.
    await page.getByRole('link', { name: 'start the installation again' }).click();
    await page.waitForURL(`${appOrigin}/slack/install`);
    expect(await page.getByRole('link', { name: 'Add to Slack' }).count()).toBe(1);

    expect(h.fake.callsTo('oauth.v2.access')).toHaveLength(exchanges);
    expect(await storedInstallKeys()).toEqual(before);
    await finish(s);
  });

  test('a tampered state, or a link opened in another browser, lands on the failure page saying to start again; nothing stored', async () => {
    h.fake.grant('code-browser-evil', { botToken: 'xoxb-browser-evil', teamId: 'TEVILBROWSER', userId: 'UEVIL' });
    h.fake.authorize.code = 'code-browser-evil';
    const before = await storedInstallKeys();
    const exchanges = h.fake.callsTo('oauth.v2.access').length;

    const s = await session();
    const authorize = await openInstall(s);
    const state = authorize.searchParams.get('state')!;
    const tampered = new URL(authorize);
    tampered.searchParams.set('state', `${state.slice(0, -2)}${state.endsWith('AA') ? 'BB' : 'AA'}`);
    await s.page.goto(tampered.toString());
    const [res] = await Promise.all([s.page.waitForResponse((r) => r.url().startsWith(`${appOrigin}/slack/oauth_redirect`)), s.page.getByRole('link', { name: 'Allow' }).click()]);
    expect(res.status()).toBe(400);
    expectPageHeaders(await res.allHeaders());
    await expectAccessiblePage(s.page, 'Sales KPIs was not installed');
    const text = await s.page.getByRole('main').innerText();
    expect(text).toContain('This installation link has expired or was not started from this browser, so nothing was installed.');
    expect(text).toContain('To try again, start the installation again in this browser.');
    expect(await s.page.getByRole('link', { name: 'start the installation again' }).getAttribute('href')).toBe('/slack/install');

    // The genuine link, finished in a second browser (no state cookie there): refused the same way.
    const other = await session();
    await other.page.goto(authorize.toString());
    const [res2] = await Promise.all([other.page.waitForResponse((r) => r.url().startsWith(`${appOrigin}/slack/oauth_redirect`)), other.page.getByRole('link', { name: 'Allow' }).click()]);
    expect(res2.status()).toBe(400);
    await expectAccessiblePage(other.page, 'Sales KPIs was not installed');

    expect(h.fake.callsTo('oauth.v2.access')).toHaveLength(exchanges);
    expect(await storedInstallKeys()).toEqual(before);
    await finish(s);
    await finish(other);
  });

  test('Slack refusing the code → the failure page (500) that says to try again', async () => {
    h.fake.authorize.code = 'code-nobody-granted';
    const s = await session();
    await openInstall(s);
    await s.page.getByRole('link', { name: 'Add to Slack' }).click();
    await s.page.waitForURL((u) => u.origin === h.fake.url);
    const [res] = await Promise.all([s.page.waitForResponse((r) => r.url().startsWith(`${appOrigin}/slack/oauth_redirect`)), s.page.getByRole('link', { name: 'Allow' }).click()]);
    expect(res.status()).toBe(500);
    await expectAccessiblePage(s.page, 'Sales KPIs was not installed');
    expect(await s.page.getByRole('main').innerText()).toContain('Slack did not complete the installation, so nothing was installed.');
    await finish(s);
  });
  test.each([
    ['vi-VN', 'vi', 'Cài đặt Sales KPIs', 'Thêm vào Slack', 'Để cài đặt, hãy chọn Thêm vào Slack', 'Chưa cài đặt được Sales KPIs', 'Việc cài đặt đã bị huỷ trong Slack', 'bắt đầu cài đặt lại'],
    ['zh-CN', 'zh-CN', '安装 Sales KPIs', '添加到 Slack', '要安装，请点击 添加到 Slack', 'Sales KPIs 未安装', '安装已在 Slack 中取消', '重新开始安装'],
  ])('a browser asking for %s gets the install and cancelled pages in its language (html lang %s)', async (browserLocale, lang, title, button, how, failedTitle, cancelled, again) => {
    const s = await session(browserLocale);
    const { page } = s;
    const res = await page.goto(`${appOrigin}/slack/install`);
    expect(res?.status()).toBe(200);
    const headers = await res!.allHeaders();
    expectPageHeaders(headers);
    expect(headers['content-language']).toBe(lang);
    await expectAccessiblePage(page, title, lang);
    await expect.poll(() => page.getByRole('main').innerText()).toContain(how);
    expect(await page.getByRole('main').getByRole('list').getByRole('listitem').count()).toBe(MANIFEST_SCOPES.length);
    const link = page.getByRole('link', { name: button });
    expect(new URL((await link.getAttribute('href'))!).pathname).toBe('/oauth/v2/authorize');
    expect(await link.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor)).toBe('rgb(74, 21, 75)');
    await link.click();
    await page.waitForURL((u) => u.origin === h.fake.url);
    const [cancel] = await Promise.all([page.waitForResponse((r) => r.url().startsWith(`${appOrigin}/slack/oauth_redirect`)), page.getByRole('link', { name: 'Cancel' }).click()]);
    expect(cancel.status()).toBe(400);
    expect((await cancel.allHeaders())['content-language']).toBe(lang);
    await expectAccessiblePage(page, failedTitle, lang);
    expect(await page.getByRole('main').innerText()).toContain(cancelled);
    await page.getByRole('link', { name: again }).click();
    await page.waitForURL(`${appOrigin}/slack/install`);
    expect(await page.getByRole('link', { name: button }).count()).toBe(1);
    await finish(s);
  });

  test('a Chinese browser gets the success page in Chinese', async () => {
    h.fake.grant('code-browser-zh', { botToken: 'xoxb-browser-zh', teamId: 'TBROWSERZH', teamName: '浏览器公司', userId: 'UINSTALLER' });
    h.fake.authorize.code = 'code-browser-zh';
    const s = await session('zh-CN');
    const { page } = s;
    await page.goto(`${appOrigin}/slack/install`);
    await page.getByRole('link', { name: '添加到 Slack' }).click();
    await page.waitForURL((u) => u.origin === h.fake.url);
    const [done] = await Promise.all([page.waitForResponse((r) => r.url().startsWith(`${appOrigin}/slack/oauth_redirect`)), page.getByRole('link', { name: 'Allow' }).click()]);
    expect(done.status()).toBe(200);
    await page.waitForURL((u) => u.origin === appOrigin);
    await expectAccessiblePage(page, 'Sales KPIs 已安装', 'zh-CN');
    const text = await page.getByRole('main').innerText();
    expect(text).toContain('应用已就绪（浏览器公司）');
    expect(text).toContain('/kpi help');
    expect(text).toContain('/invite @Sales KPIs');
    await finish(s);
  });
});
