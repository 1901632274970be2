import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { escapeHtml, failurePage, INSTALL_PAGE_CSP, installPage, successPage } from '../../src/slack/oauth/pages.js';
import { authorizeUrlOf, installFailureOf } from '../../src/slack/oauth/slack-oauth.js';
import { BOT_SCOPES } from '../../src/slack/oauth/scopes.js';
import { installKeyOf, lookupKeys } from '../../src/domain/installations/slack-installation.js';

const manifest = parse(readFileSync(resolve(import.meta.dirname, '../../manifest.yml'), 'utf8')) as { oauth_config: { scopes: { bot: string[] } } };

/** Structure every page must have: a language, a title, exactly one h1, nothing loaded from elsewhere. */
function expectAccessibleStandalone(html: string): void {
  expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
  expect(html).toMatch(/<title>[^<]+<\/title>/);
  expect(html.match(/<h1>/g)).toHaveLength(1);
  expect(html).not.toMatch(/<(script|img|link|iframe|object)\b/i);
  expect(html).not.toMatch(/\bsrc=|url\(|@import/i);
}

describe('install pages (issue #11)', () => {
  test('the install page links "Add to Slack" to the authorize URL, escaped', () => {
    const url = 'https://slack.com/oauth/v2/authorize?client_id=1.2&scope=commands,chat:write&state=a"b<c';
    const html = installPage(url);
    expectAccessibleStandalone(html);
    expect(html).toContain('<a class="button" id="add-to-slack" href="https://slack.com/oauth/v2/authorize?client_id=1.2&amp;scope=commands,chat:write&amp;state=a&quot;b&lt;c">Add to Slack</a>');
  });

  test('the success page names the workspace, escaped', () => {
    const html = successPage({ teamName: '<Acme & Co>' });
    expectAccessibleStandalone(html);
    expect(html).toContain('in &lt;Acme &amp; Co&gt;');
    expect(successPage({ teamName: null })).toContain('The app is ready. Open Slack');
  });

  test('the failure page says what happened and links back to the install page', () => {
    for (const reason of ['cancelled', 'expired', 'failed'] as const) {
      const html = failurePage({ reason, installPath: '/slack/install' });
      expectAccessibleStandalone(html);
      expect(html).toContain('<h1>Sales KPIs was not installed</h1>');
      expect(html).toContain('<a href="/slack/install">start the installation again</a>');
    }
    expect(failurePage({ reason: 'cancelled', installPath: '/slack/install' })).toContain('cancelled in Slack');
    expect(failurePage({ reason: 'expired', installPath: '/slack/install' })).toContain('expired or was not started from this browser');
  });

  test('install failures map to a status: state and cancel are 400, the rest 500', () => {
    expect(installFailureOf({ code: 'slack_oauth_invalid_state' })).toEqual({ reason: 'expired', status: 400 });
    expect(installFailureOf({ code: 'slack_oauth_missing_state' })).toEqual({ reason: 'expired', status: 400 });
    expect(installFailureOf({ code: 'slack_oauth_installer_authorization_error' })).toEqual({ reason: 'cancelled', status: 400 });
    expect(installFailureOf({ code: 'slack_oauth_unknown_error' })).toEqual({ reason: 'failed', status: 500 });
  });

  test("Slack's authorize page sits on the Web API's host", () => {
    expect(authorizeUrlOf(undefined)).toBe('https://slack.com/oauth/v2/authorize');
    expect(authorizeUrlOf('https://slack.com/api/')).toBe('https://slack.com/oauth/v2/authorize');
    expect(authorizeUrlOf('http://127.0.0.1:4000/api/')).toBe('http://127.0.0.1:4000/oauth/v2/authorize');
  });

  test('the CSP allows the one inline style by its hash and nothing else', () => {
    const style = /<style>([^<]*)<\/style>/.exec(installPage('https://slack.com/oauth/v2/authorize'))![1]!;
    const hash = createHash('sha256').update(style, 'utf8').digest('base64');
    expect(INSTALL_PAGE_CSP).toBe(`default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`);
    // Every page uses the same style, so the one hash covers them all.
    expect(successPage({ teamName: null })).toContain(`<style>${style}</style>`);
    expect(failurePage({ reason: 'failed', installPath: '/slack/install' })).toContain(`<style>${style}</style>`);
  });

  test('escapeHtml covers the five characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  test("the install asks for exactly the manifest's bot scopes", () => {
    expect([...BOT_SCOPES]).toEqual(manifest.oauth_config.scopes.bot);
  });

  test('installation keys: the org for an org-wide install, else the workspace; lookups fall back to the org', () => {
    expect(installKeyOf({ isEnterpriseInstall: true, enterpriseId: 'E1', teamId: null })).toBe('enterprise:E1');
    expect(installKeyOf({ isEnterpriseInstall: false, enterpriseId: 'E1', teamId: 'T9' })).toBe('team:T9');
    expect(() => installKeyOf({ isEnterpriseInstall: true, enterpriseId: null, teamId: 'T9' })).toThrow();
    expect(lookupKeys({ teamId: 'T9', enterpriseId: 'E1' })).toEqual(['team:T9', 'enterprise:E1']);
    expect(lookupKeys({ teamId: 'T9', enterpriseId: 'E1', isEnterpriseInstall: true })).toEqual(['enterprise:E1']);
    expect(lookupKeys({})).toEqual([]);
  });
});
