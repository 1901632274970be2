import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import { isKnownCurrency } from './domain/money.js';

/**
 * Environment contract (SPEC §5). Parsed once at startup; a bad value stops the app with one
 * line naming the variable and the form it should take. Secrets are never echoed back.
 */
/**
 * A CRM credentials key: 32 random bytes in base64 (`openssl rand -base64 32`). Checked here once;
 * `crmKeyRing` (src/domain/crm/credentials.ts) turns the two variables into the key ring.
 */
const ZCrmKey = z.string().refine((v) => isCrmKeyText(v), { message: 'must be 32 random bytes in base64 (openssl rand -base64 32)' });

/**
 * The keys of an earlier rotation: one key, or several separated by commas (each 32 bytes in
 * base64). They only open stored secrets; every write seals with the current key.
 */
const ZPreviousKeys = z.string().refine((v) => isKeyListText(v), { message: 'must be one or more keys of 32 random bytes in base64, separated by commas' });

/** UNINSTALLED_RETENTION_DAYS: days an uninstalled workspace's data is kept (also read by `npm run purge`). */
export const ZRetentionDays = z.coerce
  .number({ message: 'must be a whole number of days such as 90' })
  .int({ message: 'must be a whole number of days such as 90' })
  .min(1, { message: 'must be a whole number of days, at least 1, such as 90' })
  .max(36500, { message: 'must be a whole number of days such as 90' })
  .default(90);

const ZTimeZone = z.string().refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' });

/** The variables that switch on OAuth mode, all together. */
export const OAUTH_VARIABLES = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_TOKEN_ENCRYPTION_KEY'] as const;

export const ZConfig = z
  .object({
    SLACK_BOT_TOKEN: z
      .string()
      .regex(/^xoxb-[A-Za-z0-9-]+$/, { message: 'must look like xoxb-123-456-abc' })
      .optional(),
    SLACK_SIGNING_SECRET: z
      .string()
      .min(8, { message: 'must be the app\'s signing secret (hex string from Basic Information)' })
      .optional(),
    APP_SECRET: z
      .string()
      .min(32, { message: 'must be at least 32 characters (e.g. openssl rand -hex 32)' })
      .optional(),
    SLACK_APP_TOKEN: z
      .string()
      .regex(/^xapp-[A-Za-z0-9-]+$/, { message: 'must look like xapp-1-A123-456-abc' })
      .optional(),
    SLACK_API_URL: z
      .url({ message: 'must be a URL such as https://slack.com/api/' })
      .transform((u) => (u.endsWith('/') ? u : `${u}/`))
      .optional(),
    DATABASE_URL: z
      .string()
      .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, {
        message: 'must be file:./data/kpi.db (SQLite) or postgresql://user@host:5432/db',
      })
      .default('file:./data/kpi.db'),
    PORT: z.coerce
      .number({ message: 'must be a port number such as 3000' })
      .int({ message: 'must be a port number such as 3000' })
      .min(0, { message: 'must be a port number such as 3000' })
      .max(65535, { message: 'must be a port number such as 3000' })
      .default(3000),
    QUICKCHART_URL: z
      .url({ message: 'must be a URL such as https://quickchart.io' })
      .transform((u) => u.replace(/\/+$/, ''))
      .default('https://quickchart.io'),
    TZ_DEFAULT: ZTimeZone.default('UTC'),
    CURRENCY_DEFAULT: z
      .string()
      .regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code such as USD or VND' })
      .refine(isKnownCurrency, { message: 'must be an ISO 4217 code the app supports, such as USD, EUR or VND' })
      .default('USD'),
    DIGEST_GRACE_HOURS: z.coerce
      .number({ message: 'must be a number of hours such as 6' })
      .min(0, { message: 'must be a number of hours such as 6' })
      .default(6),
    DIGEST_TICK_CRON: z
      .string()
      .refine((v) => isValidCron(v), { message: 'must be a cron expression such as * * * * * (every minute; a leading seconds field is allowed)' })
      .default('* * * * *'),
    DIGEST_LEASE_SECONDS: z.coerce
      .number({ message: 'must be a number of seconds such as 180' })
      .int({ message: 'must be a whole number of seconds such as 180' })
      .min(1, { message: 'must be a number of seconds such as 180' })
      .default(180),
    SCHEDULER_ENABLED: z
      .enum(['true', 'false'], { message: 'must be true or false' })
      .default('true')
      .transform((v) => v === 'true'),
    /** Encrypts CRM credentials at rest (AES-256-GCM); without it no CRM can be connected or synced. */
    CRM_ENCRYPTION_KEY: ZCrmKey.optional(),
    /** The keys before the last rotation (comma separated): still decrypt; every write re-encrypts with the current key. */
    CRM_ENCRYPTION_KEY_PREVIOUS: ZPreviousKeys.optional(),
    /** OAuth mode (issue #11): all four set, or none (single-token mode). */
    SLACK_CLIENT_ID: z.string().regex(/^\d+\.\d+$/, { message: 'must be the app\'s Client ID from Basic Information, such as 1234567890.0987654321' }).optional(),
    SLACK_CLIENT_SECRET: z.string().min(8, { message: 'must be the app\'s Client Secret from Basic Information' }).optional(),
    SLACK_STATE_SECRET: z.string().min(32, { message: 'must be at least 32 characters (e.g. openssl rand -hex 32); it signs the OAuth state' }).optional(),
    /** Encrypts the installations' bot tokens at rest (AES-256-GCM). */
    SLACK_TOKEN_ENCRYPTION_KEY: z
      .string()
      .refine((v) => isCrmKeyText(v), { message: 'must be 32 random bytes in base64 (openssl rand -base64 32)' })
      .optional(),
    /** The installation-token keys before the last rotation (comma separated): they open, never seal. */
    SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS: ZPreviousKeys.optional(),
    /**
     * How long the data of an uninstalled workspace is kept before `npm run purge -- --expired`
     * deletes it (days after the uninstall).
     */
    UNINSTALLED_RETENTION_DAYS: ZRetentionDays,
    /** The Salesforce connected app's consumer key (OAuth client id); without it Salesforce cannot be connected. */
    SALESFORCE_CLIENT_ID: z.string().trim().min(1, { message: 'must be the connected app\'s consumer key' }).optional(),
    /** Its consumer secret; may be left out when the app does not require it (PKCE, secret not required for refresh). */
    SALESFORCE_CLIENT_SECRET: z.string().trim().min(1, { message: 'must be the connected app\'s consumer secret' }).optional(),
    /** Where admins log in: https://login.salesforce.com (default), https://test.salesforce.com for sandboxes, or a My Domain URL. */
    SALESFORCE_LOGIN_URL: z
      .url({ message: 'must be an https URL such as https://login.salesforce.com' })
      .refine((u) => u.startsWith('https://'), { message: 'must be an https URL such as https://login.salesforce.com' })
      .transform((u) => u.replace(/\/+$/, ''))
      .default('https://login.salesforce.com'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { message: 'must be debug, info, warn or error' }).default('info'),
    /** The app's public base URL (https://kpi.example.com): CRM webhook URLs and the Salesforce callback are built on it. */
    PUBLIC_URL: z
      .url({ message: 'must be the public URL of the app such as https://kpi.example.com' })
      .refine((u) => /^https?:\/\//.test(u), { message: 'must be an http(s) URL such as https://kpi.example.com' })
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
    /** The HubSpot app's client secret: verifies HubSpot webhook signatures (v3). */
    HUBSPOT_CLIENT_SECRET: z.string().trim().min(8, { message: "must be the HubSpot app's client secret (Auth tab of the app)" }).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.CRM_ENCRYPTION_KEY_PREVIOUS && !env.CRM_ENCRYPTION_KEY) {
      ctx.addIssue({ code: 'custom', path: ['CRM_ENCRYPTION_KEY'], message: 'is required when CRM_ENCRYPTION_KEY_PREVIOUS is set (the new key of a rotation)' });
    }
    if (env.SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS && !env.SLACK_TOKEN_ENCRYPTION_KEY) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_TOKEN_ENCRYPTION_KEY'], message: 'is required when SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS is set (the new key of a rotation)' });
    }
    if (env.SALESFORCE_CLIENT_SECRET && !env.SALESFORCE_CLIENT_ID) {
      ctx.addIssue({ code: 'custom', path: ['SALESFORCE_CLIENT_ID'], message: 'is required when SALESFORCE_CLIENT_SECRET is set (the consumer key of the same connected app)' });
    }
    const oauthSet = OAUTH_VARIABLES.filter((k) => env[k] !== undefined);
    if (oauthSet.length > 0 && oauthSet.length < OAUTH_VARIABLES.length) {
      const missing = OAUTH_VARIABLES.filter((k) => env[k] === undefined);
      ctx.addIssue({ code: 'custom', path: [missing[0] ?? 'SLACK_CLIENT_ID'], message: `is required for OAuth mode: set all of ${OAUTH_VARIABLES.join(', ')} or none (missing: ${missing.join(', ')})` });
    }
    const oauthMode = oauthSet.length === OAUTH_VARIABLES.length;
    if (oauthMode && env.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'must not be set in OAuth mode (SLACK_CLIENT_ID…): each workspace\'s token comes from its installation' });
    }
    if (oauthMode && env.SLACK_APP_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_APP_TOKEN'], message: 'must not be set in OAuth mode: installs for many workspaces run in HTTP mode' });
    }
    if (oauthSet.length === 0 && !env.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is required: the bot token (xoxb-…) from OAuth & Permissions' });
    }
    if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'is required in HTTP mode: the signing secret from Basic Information (or set SLACK_APP_TOKEN for Socket Mode)',
      });
    }
  });

export type TConfig = z.infer<typeof ZConfig>;


/** OAuth mode's settings, present only when all four variables are set. */
export interface TOAuthConfig {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  tokenEncryptionKey: string;
  /** SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS during a rotation (comma separated keys). */
  tokenEncryptionKeyPrevious?: string;
}

/**
 * The OAuth settings of a validated config, or null in single-token mode.
 *
 * @example
 * oauthConfigOf(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-a', SLACK_SIGNING_SECRET: 'abcdefgh' })); // null
 */
export function oauthConfigOf(config: TConfig): TOAuthConfig | null {
  const { SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, SLACK_TOKEN_ENCRYPTION_KEY } = config;
  if (!SLACK_CLIENT_ID || !SLACK_CLIENT_SECRET || !SLACK_STATE_SECRET || !SLACK_TOKEN_ENCRYPTION_KEY) return null;
  const previous = config.SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS;
  return { clientId: SLACK_CLIENT_ID, clientSecret: SLACK_CLIENT_SECRET, stateSecret: SLACK_STATE_SECRET, tokenEncryptionKey: SLACK_TOKEN_ENCRYPTION_KEY, ...(previous ? { tokenEncryptionKeyPrevious: previous } : {}) };
}

export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment. Throws ConfigError whose lines each name one variable; values are
 * never included, so a secret pasted into the wrong variable does not end up in a log.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ZConfig.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `Configuration error: ${issue.path.join('.') || 'environment'} ${issue.message}`);
  throw new ConfigError([...new Set(lines)]);
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

/**
 * Whether text is a CRM encryption key: standard or URL-safe base64 of exactly 32 bytes.
 *
 * @example
 * isCrmKeyText('q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA='); // true
 * isCrmKeyText('too-short'); // false
 */
export function isCrmKeyText(text: string): boolean {
  const t = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) return false;
  return Buffer.from(t, 'base64').length === 32;
}

/**
 * Whether text is one or more such keys separated by commas (a `…_PREVIOUS` variable).
 *
 * @example
 * isKeyListText('q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=,AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='); // true
 * isKeyListText('q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=,short'); // false
 */
export function isKeyListText(text: string): boolean {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  return parts.length > 0 && parts.every(isCrmKeyText);
}
