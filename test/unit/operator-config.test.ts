import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig, oauthConfigOf } from '../../src/config.js';
import { csvQuote, csvRecord, csvText } from '../../src/shared/csv-write.js';
import { openText, sealKey, sealKeys, sealText } from '../../src/shared/sealed-text.js';

const VALID = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'deadbeefdeadbeef' };
const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');
const KEY_C = Buffer.alloc(32, 3).toString('base64');
const OAUTH = { SLACK_SIGNING_SECRET: 'deadbeefdeadbeef', SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'client-secret', SLACK_STATE_SECRET: 'x'.repeat(32), SLACK_TOKEN_ENCRYPTION_KEY: KEY_A };

function configErrorLines(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.lines;
    throw e;
  }
  return [];
}

describe('operator settings (issue #11)', () => {
  test('UNINSTALLED_RETENTION_DAYS: 90 by default, a whole number of days of at least 1', () => {
    expect(loadConfig(VALID).UNINSTALLED_RETENTION_DAYS).toBe(90);
    expect(loadConfig({ ...VALID, UNINSTALLED_RETENTION_DAYS: '30' }).UNINSTALLED_RETENTION_DAYS).toBe(30);
    for (const bad of ['0', '-5', '1.5', 'soon']) {
      expect(configErrorLines({ ...VALID, UNINSTALLED_RETENTION_DAYS: bad })[0], bad).toMatch(/^Configuration error: UNINSTALLED_RETENTION_DAYS must be a whole number of days/);
    }
  });

  test('SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS: one or more keys, comma separated, with a current key; never echoed', () => {
    const config = loadConfig({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS: `${KEY_B}, ${KEY_C}` });
    expect(oauthConfigOf(config)?.tokenEncryptionKeyPrevious).toBe(`${KEY_B}, ${KEY_C}`);
    expect(oauthConfigOf(loadConfig(OAUTH))).not.toHaveProperty('tokenEncryptionKeyPrevious');
    const lines = configErrorLines({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS: `${KEY_B},short` });
    expect(lines).toEqual(['Configuration error: SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS must be one or more keys of 32 random bytes in base64, separated by commas']);
    expect(lines.join('\n')).not.toContain(KEY_B);
    expect(configErrorLines({ ...VALID, SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS: KEY_B })).toContain(
      'Configuration error: SLACK_TOKEN_ENCRYPTION_KEY is required when SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS is set (the new key of a rotation)',
    );
    expect(loadConfig({ ...VALID, CRM_ENCRYPTION_KEY: KEY_A, CRM_ENCRYPTION_KEY_PREVIOUS: `${KEY_B},${KEY_C}` }).CRM_ENCRYPTION_KEY_PREVIOUS).toBe(`${KEY_B},${KEY_C}`);
  });

  test('a ring opens blobs of any previous key and seals with the current one only', () => {
    const old = sealText({ current: sealKey(KEY_C, 'K'), previous: [] }, 'p', 'ctx', 'secret');
    const ring = { current: sealKey(KEY_A, 'K'), previous: sealKeys(`${KEY_B},${KEY_C}`, 'K') };
    expect(openText(ring, 'p', 'ctx', old)).toEqual({ text: 'secret', stale: true });
    expect(openText(ring, 'p', 'ctx', sealText(ring, 'p', 'ctx', 'secret'))).toEqual({ text: 'secret', stale: false });
    expect(() => openText({ current: sealKey(KEY_A, 'K'), previous: sealKeys(KEY_B, 'K') }, 'p', 'ctx', old)).toThrow(/cannot be opened/);
    expect(sealKeys(' , ', 'K')).toEqual([]);
    expect(() => sealKeys(`${KEY_B},abc`, 'SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS')).toThrow(/^SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS must be 32 random bytes/);
  });

  test('CSV cells: RFC 4180 quoting and OWASP formula neutralising of text', () => {
    expect(csvText('Acme')).toBe('Acme');
    expect(csvText('Acme, Inc.')).toBe('"Acme, Inc."');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('two\nlines')).toBe('"two\nlines"');
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvText(`${start}1+1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvText('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvText('a=b')).toBe('a=b');
    expect(csvQuote('-500')).toBe('-500');
    expect(csvRecord(['a', 'b'])).toBe('a,b\r\n');
  });
});
