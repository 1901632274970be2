import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger, redactSecrets, registerSecrets } from '../../src/logger.js';

const VALID = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'deadbeefdeadbeef' };

function configErrorLines(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.lines;
    throw e;
  }
  return [];
}

describe('loadConfig', () => {
  test('CRM_ENCRYPTION_KEY: 32 bytes of base64, checked once; the previous key needs a current one', () => {
    const key = Buffer.alloc(32, 3).toString('base64');
    expect(loadConfig({ ...VALID, CRM_ENCRYPTION_KEY: key, CRM_ENCRYPTION_KEY_PREVIOUS: Buffer.alloc(32, 4).toString('base64url') }).CRM_ENCRYPTION_KEY).toBe(key);
    expect(loadConfig(VALID).CRM_ENCRYPTION_KEY).toBeUndefined();
    const short = Buffer.alloc(16, 3).toString('base64');
    const lines = configErrorLines({ ...VALID, CRM_ENCRYPTION_KEY: short });
    expect(lines).toEqual(['Configuration error: CRM_ENCRYPTION_KEY must be 32 random bytes in base64 (openssl rand -base64 32)']);
    expect(lines.join('\n')).not.toContain(short);
    expect(configErrorLines({ ...VALID, CRM_ENCRYPTION_KEY_PREVIOUS: key })).toEqual([
      'Configuration error: CRM_ENCRYPTION_KEY is required when CRM_ENCRYPTION_KEY_PREVIOUS is set (the new key of a rotation)',
    ]);
  });

  test('SALESFORCE_*: the connected app; a secret needs its client id, the login URL is https', () => {
    expect(loadConfig(VALID)).toMatchObject({ SALESFORCE_LOGIN_URL: 'https://login.salesforce.com' });
    expect(loadConfig(VALID).SALESFORCE_CLIENT_ID).toBeUndefined();
    expect(loadConfig({ ...VALID, SALESFORCE_CLIENT_ID: '3MVG9abc', SALESFORCE_CLIENT_SECRET: 's3cr3t-value', SALESFORCE_LOGIN_URL: 'https://test.salesforce.com/' })).toMatchObject({
      SALESFORCE_CLIENT_ID: '3MVG9abc',
      SALESFORCE_CLIENT_SECRET: 's3cr3t-value',
      SALESFORCE_LOGIN_URL: 'https://test.salesforce.com',
    });
    const lines = configErrorLines({ ...VALID, SALESFORCE_CLIENT_SECRET: 's3cr3t-value' });
    expect(lines).toEqual(['Configuration error: SALESFORCE_CLIENT_ID is required when SALESFORCE_CLIENT_SECRET is set (the consumer key of the same connected app)']);
    expect(lines.join('\n')).not.toContain('s3cr3t-value');
    expect(configErrorLines({ ...VALID, SALESFORCE_LOGIN_URL: 'http://login.salesforce.com' })).toEqual([
      'Configuration error: SALESFORCE_LOGIN_URL must be an https URL such as https://login.salesforce.com',
    ]);
  });

  test('applies SPEC §5 defaults', () => {
    const c = loadConfig(VALID);
    expect(c).toMatchObject({ DATABASE_URL: 'file:./data/kpi.db', PORT: 3000, QUICKCHART_URL: 'https://quickchart.io', TZ_DEFAULT: 'UTC', CURRENCY_DEFAULT: 'USD' });
    expect(c.SLACK_APP_TOKEN).toBeUndefined();
  });

  test('normalises the Slack API URL to end with a slash', () => {
    expect(loadConfig({ ...VALID, SLACK_API_URL: 'http://127.0.0.1:4000/api' }).SLACK_API_URL).toBe('http://127.0.0.1:4000/api/');
  });

  test('Socket Mode needs no signing secret', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_APP_TOKEN: 'xapp-1-A1-2-abc' }).SLACK_APP_TOKEN).toBe('xapp-1-A1-2-abc');
  });

  test.each([
    [{ SLACK_SIGNING_SECRET: 'deadbeefdeadbeef' }, 'SLACK_BOT_TOKEN is required'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' }, 'SLACK_SIGNING_SECRET is required in HTTP mode'],
    [{ ...VALID, SLACK_BOT_TOKEN: 'xoxp-user-token-123' }, 'SLACK_BOT_TOKEN must look like xoxb-'],
    [{ ...VALID, SLACK_APP_TOKEN: 'app-token' }, 'SLACK_APP_TOKEN must look like xapp-'],
    [{ ...VALID, DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be file:./data/kpi.db (SQLite) or postgresql://'],
    [{ ...VALID, PORT: 'eighty' }, 'PORT must be a port number'],
    [{ ...VALID, PORT: '70000' }, 'PORT must be a port number'],
    [{ ...VALID, TZ_DEFAULT: 'Mars/Olympus' }, 'TZ_DEFAULT must be an IANA time zone'],
    [{ ...VALID, CURRENCY_DEFAULT: 'dollars' }, 'CURRENCY_DEFAULT must be an ISO 4217 code'],
    [{ ...VALID, CURRENCY_DEFAULT: 'XYZ' }, 'CURRENCY_DEFAULT must be an ISO 4217 code the app supports'],
    [{ ...VALID, QUICKCHART_URL: 'not a url' }, 'QUICKCHART_URL must be a URL'],
  ])('refuses %j with one line naming the variable', (env, expected) => {
    const lines = configErrorLines(env as Record<string, string>);
    expect(lines.some((l) => l.startsWith('Configuration error: ') && l.includes(expected))).toBe(true);
  });

  test('error lines never echo a value (a secret in the wrong variable stays secret)', () => {
    const lines = configErrorLines({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'deadbeefdeadbeef', DATABASE_URL: 'xoxb-leaked-secret-value' });
    expect(lines.join('\n')).not.toContain('leaked');
  });
});

describe('secret redaction', () => {
  test.each([
    ['token xoxb-123-456-abcdef in text', 'token [redacted] in text'],
    ['app xapp-1-A1-99-zz', 'app [redacted]'],
    ['postgresql://kpi:hunter2@db:5432/kpi', 'postgresql://kpi:[redacted]@db:5432/kpi'],
    ['nothing secret here', 'nothing secret here'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  test('registered secrets are redacted from every log line, including metadata', () => {
    const lines: string[] = [];
    registerSecrets('s3cr3t-signing-value');
    const log = createLogger('debug', (l) => lines.push(l));
    log.error('failed with s3cr3t-signing-value', { detail: 'xoxb-9-9-leak', nested: { v: 's3cr3t-signing-value' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('s3cr3t-signing-value');
    expect(lines[0]).not.toContain('xoxb-9-9-leak');
  });
});
