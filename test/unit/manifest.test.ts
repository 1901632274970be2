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

const manifest = parse(readFileSync(join(ROOT, 'manifest.yml'), 'utf8')) as {
  features: { slash_commands: Array<{ command: string }>; shortcuts: Array<{ callback_id: string }> };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] } };
};

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
