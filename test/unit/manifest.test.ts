import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import AjvModule from 'ajv';

const Ajv = AjvModule.default;
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SCHEMA_DIR = resolve(ROOT, 'test/fixtures/slack/manifest-schema');

/** Slack's published manifest schema; its root refers to the versioned files by URL: map them to the local copies. */
function loadValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, logger: false });
  for (const v of ['1.0.0', '2.0.0']) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, 'schemas', `manifest.schema.${v}.json`), 'utf8')) as Record<string, unknown>;
    ajv.addSchema({ ...schema, $id: `https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.${v}.json` });
  }
  return ajv.compile(JSON.parse(readFileSync(join(SCHEMA_DIR, 'manifest.schema.json'), 'utf8')) as object);
}

interface TManifest {
  features: { slash_commands: Array<{ command: string; url: string }>; shortcuts: Array<{ callback_id: string }> };
  oauth_config: { redirect_urls: string[]; scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}
const manifestText = readFileSync(join(ROOT, 'manifest.yml'), 'utf8');
const manifest = parse(manifestText) as TManifest;
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Every string value of the manifest (its URLs among them). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('manifest.yml', () => {
  test('the Slack manifest schema is available', () => {
    expect(existsSync(join(SCHEMA_DIR, 'manifest.schema.json'))).toBe(true);
  });

  test('is valid against Slack\'s manifest schema', () => {
    const validate = loadValidator();
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('the schema rejects an invalid manifest (the check has teeth)', () => {
    const validate = loadValidator();
    expect(validate({ ...manifest, display_information: { name: '' }, unknown_key: 1 })).toBe(false);
  });

  test('the schema checks the distribution fields too (wrong types are refused)', () => {
    const validate = loadValidator();
    expect(validate({ ...manifest, oauth_config: { ...manifest.oauth_config, redirect_urls: 'https://kpi.example.com/slack/oauth_redirect' } })).toBe(false);
    expect(validate({ ...manifest, settings: { ...manifest.settings, org_deploy_enabled: 'yes' } })).toBe(false);
    expect(validate({ ...manifest, settings: { ...manifest.settings, token_rotation_enabled: 1 } })).toBe(false);
    expect(validate({ ...manifest, settings: { ...manifest.settings, event_subscriptions: { ...manifest.settings.event_subscriptions, bot_events: 'app_uninstalled' } } })).toBe(false);
  });

  test('is ready for distribution: the OAuth redirect URL, uninstall and revocation events, org-wide deploy, rotation off', async () => {
    const { REDIRECT_PATH } = await import('../../src/slack/oauth/slack-oauth.js');
    expect(manifest.oauth_config.redirect_urls).toEqual([`https://kpi.example.com${REDIRECT_PATH}`]);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(['app_uninstalled', 'tokens_revoked']));
    expect(manifest.settings.org_deploy_enabled).toBe(true);
    // Off until an operator opts in (README: once on, Slack does not turn it off; single-token mode cannot refresh).
    expect(manifest.settings.token_rotation_enabled).toBe(false);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    // One placeholder host, in as many places as the manifest's header and README say.
    const urls = strings(manifest).filter((v) => /^https?:\/\//.test(v));
    expect(urls.map((u) => new URL(u).origin)).toEqual(urls.map(() => 'https://kpi.example.com'));
    expect(urls).toHaveLength(5);
    expect(manifestText).toContain('(five places)');
    expect(readme).toContain('(five places)');
    expect(new Set([...manifest.features.slash_commands.map((c) => c.url), manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url])).toEqual(new Set(['https://kpi.example.com/slack/events']));
  });

  test("every bot scope is the install's, with README's reason for it", async () => {
    const { BOT_SCOPE_REASONS, BOT_SCOPES } = await import('../../src/slack/oauth/scopes.js');
    expect(manifest.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    const table = [...readme.matchAll(/^\| `([a-z:.]+)` \| (.+) \|$/gm)].map((m) => ({ scope: m[1], why: m[2] }));
    expect(table).toEqual(BOT_SCOPE_REASONS.map((r) => ({ scope: r.scope, why: r.why })));
  });

  test('declares every command, shortcut, scope and event the app uses', async () => {
    const src = (p: string) => readFileSync(join(ROOT, 'src', p), 'utf8');
    expect(manifest.features.slash_commands.map((c) => c.command).sort()).toEqual(['/deal', '/kpi']);
    const { LOG_AS_WON_CALLBACK } = await import('../../src/slack/listeners/shortcuts/log-as-won.js');
    expect(manifest.features.shortcuts.map((s) => s.callback_id)).toContain(LOG_AS_WON_CALLBACK);
    const gateway = src('slack/gateway.ts');
    const needs: Array<[RegExp, string]> = [
      [/chat\.postMessage|chat\.postEphemeral/, 'chat:write'],
      [/users\.info/, 'users:read'],
      [/users\.lookupByEmail/, 'users:read.email'],
      [/conversations\.info/, 'channels:read'],
    ];
    for (const [pattern, scope] of needs) if (pattern.test(gateway)) expect(manifest.oauth_config.scopes.bot).toContain(scope);
    expect(manifest.oauth_config.scopes.bot).toContain('commands');
    const eventsDir = join(ROOT, 'src/slack/listeners/events');
    const events = readdirSync(eventsDir).map((f) => readFileSync(join(eventsDir, f), 'utf8')).join('\n');
    for (const m of events.matchAll(/app\.event\('([a-z_]+)'/g)) expect(manifest.settings.event_subscriptions.bot_events).toContain(m[1]);
  });
});
