import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig, oauthConfigOf } from '../../src/config.js';

const SIGNING = { SLACK_SIGNING_SECRET: 'deadbeefdeadbeef' };
const KEY = Buffer.alloc(32, 7).toString('base64');
const OAUTH = {
  SLACK_CLIENT_ID: '1234567890.0987654321',
  SLACK_CLIENT_SECRET: 'client-secret-abcdef',
  SLACK_STATE_SECRET: 'state-secret-0123456789abcdef0123456789',
  SLACK_TOKEN_ENCRYPTION_KEY: KEY,
};

function configErrorLines(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.lines;
    throw e;
  }
  return [];
}

describe('OAuth mode configuration (issue #11)', () => {
  test('all four variables switch OAuth mode on, and then no bot token is needed', () => {
    const config = loadConfig({ ...SIGNING, ...OAUTH });
    expect(oauthConfigOf(config)).toEqual({ clientId: OAUTH.SLACK_CLIENT_ID, clientSecret: OAUTH.SLACK_CLIENT_SECRET, stateSecret: OAUTH.SLACK_STATE_SECRET, tokenEncryptionKey: KEY });
    expect(config.SLACK_BOT_TOKEN).toBeUndefined();
  });

  test('without them the single-token mode is unchanged: no OAuth settings, the bot token still required', () => {
    expect(oauthConfigOf(loadConfig({ ...SIGNING, SLACK_BOT_TOKEN: 'xoxb-1-2-abc' }))).toBeNull();
    expect(configErrorLines(SIGNING)).toEqual(['Configuration error: SLACK_BOT_TOKEN is required: the bot token (xoxb-…) from OAuth & Permissions']);
  });

  test('a partial set stops startup with one line naming what is missing, and no value', () => {
    const lines = configErrorLines({ ...SIGNING, SLACK_CLIENT_ID: OAUTH.SLACK_CLIENT_ID, SLACK_CLIENT_SECRET: OAUTH.SLACK_CLIENT_SECRET });
    expect(lines).toEqual([
      'Configuration error: SLACK_STATE_SECRET is required for OAuth mode: set all of SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, SLACK_TOKEN_ENCRYPTION_KEY or none (missing: SLACK_STATE_SECRET, SLACK_TOKEN_ENCRYPTION_KEY)',
    ]);
    expect(lines.join('\n')).not.toContain(OAUTH.SLACK_CLIENT_SECRET);
  });

  test('a wrong or undecodable encryption key stops startup with one line, without the key', () => {
    for (const bad of [Buffer.alloc(16, 1).toString('base64'), 'not base64 at all!', Buffer.alloc(33, 1).toString('base64')]) {
      const lines = configErrorLines({ ...SIGNING, ...OAUTH, SLACK_TOKEN_ENCRYPTION_KEY: bad });
      expect(lines).toEqual(['Configuration error: SLACK_TOKEN_ENCRYPTION_KEY must be 32 random bytes in base64 (openssl rand -base64 32)']);
      expect(lines.join('\n')).not.toContain(bad);
    }
  });

  test('a bot token or an app token together with OAuth mode is refused with one line each', () => {
    expect(configErrorLines({ ...SIGNING, ...OAUTH, SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })).toEqual([
      "Configuration error: SLACK_BOT_TOKEN must not be set in OAuth mode (SLACK_CLIENT_ID…): each workspace's token comes from its installation",
    ]);
    expect(configErrorLines({ ...SIGNING, ...OAUTH, SLACK_APP_TOKEN: 'xapp-1-A1-2-abc' })).toEqual(['Configuration error: SLACK_APP_TOKEN must not be set in OAuth mode: installs for many workspaces run in HTTP mode']);
  });

  test('malformed client id and short state secret are named', () => {
    expect(configErrorLines({ ...SIGNING, ...OAUTH, SLACK_CLIENT_ID: 'abc' })[0]).toMatch(/^Configuration error: SLACK_CLIENT_ID must be the app's Client ID/);
    expect(configErrorLines({ ...SIGNING, ...OAUTH, SLACK_STATE_SECRET: 'short' })[0]).toMatch(/^Configuration error: SLACK_STATE_SECRET must be at least 32 characters/);
  });
});
