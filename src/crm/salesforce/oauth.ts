import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { CrmSourceError } from '../../domain/crm/crm-source.js';

/**
 * Salesforce OAuth 2.0 web-server flow with PKCE (issue #10): the authorize URL the admin opens, and
 * the code-for-token exchange the callback makes. Pure helpers except `exchangeCode` (one HTTP POST).
 *
 * Shapes (Salesforce docs, "OAuth 2.0 Web Server Flow for Web App Integration" and the PKCE page):
 * - `GET {loginUrl}/services/oauth2/authorize?response_type=code&client_id&redirect_uri&state&scope
 *   &code_challenge` — the challenge is base64url(SHA-256(code_verifier)), encoded once.
 * - `POST {loginUrl}/services/oauth2/token` (form-encoded) with `grant_type=authorization_code`,
 *   `code`, `client_id`, `client_secret`, `redirect_uri`, `code_verifier`; the JSON answer carries
 *   `access_token`, `refresh_token` (when the `refresh_token` scope was granted), `instance_url`,
 *   `issued_at` (epoch milliseconds as text). A wrong verifier fails with `invalid_request`, a
 *   missing one or a spent/expired code with `invalid_grant`.
 *
 * Why a plain `fetch` and not jsforce's `OAuth2.requestToken`: jsforce can send a `code_verifier`,
 * but only one it generated itself inside that `OAuth2` instance (`useVerifier`), which does not
 * survive between the authorize redirect and the callback (another request, maybe another app
 * instance), and its token POST has no per-call deadline (its transport waits up to 30 minutes unless
 * the process-wide `HTTP_TIMEOUT` is set). A fetch with `AbortSignal.timeout` gives both.
 */

/** Scopes the connector needs: REST API access and a refresh token for unattended sync. */
export const SALESFORCE_SCOPES = 'api refresh_token';

export interface TPkcePair {
  /** Kept server-side (encrypted with the OAuth state) until the callback; never sent to the browser. */
  codeVerifier: string;
  /** base64url(SHA-256(codeVerifier)), sent in the authorize URL. */
  codeChallenge: string;
  codeChallengeMethod: 'S256';
}

function base64Url(bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The S256 challenge of a verifier (RFC 7636 §4.2).
 *
 * @example
 * pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk') // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 */
export function pkceChallenge(codeVerifier: string): string {
  return base64Url(createHash('sha256').update(codeVerifier, 'ascii').digest());
}

/**
 * A fresh PKCE pair: 64 random bytes as base64url give an 86-character verifier (RFC 7636 allows
 * 43–128 characters of [A-Za-z0-9-._~]).
 *
 * @example
 * const { codeVerifier, codeChallenge } = createPkcePair();
 * codeVerifier.length // 86
 * codeChallenge === pkceChallenge(codeVerifier) // true
 */
export function createPkcePair(random: (size: number) => Buffer = randomBytes): TPkcePair {
  const codeVerifier = base64Url(random(64));
  return { codeVerifier, codeChallenge: pkceChallenge(codeVerifier), codeChallengeMethod: 'S256' };
}

export interface TAuthorizeUrlOptions {
  /** `https://login.salesforce.com`, `https://test.salesforce.com` (sandboxes) or a My Domain URL. */
  loginUrl: string;
  clientId: string;
  redirectUri: string;
  /** Opaque anti-CSRF value the callback checks. */
  state: string;
  codeChallenge: string;
  /** Defaults to `api refresh_token`. */
  scope?: string;
}

/**
 * The URL an admin opens to grant access.
 *
 * @example
 * buildAuthorizeUrl({ loginUrl: 'https://login.salesforce.com', clientId: 'cid', redirectUri: 'https://app.example/cb', state: 's1', codeChallenge: 'abc' })
 * // 'https://login.salesforce.com/services/oauth2/authorize?response_type=code&client_id=cid&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=api+refresh_token&state=s1&code_challenge=abc&code_challenge_method=S256'
 */
export function buildAuthorizeUrl(options: TAuthorizeUrlOptions): string {
  const url = new URL('/services/oauth2/authorize', options.loginUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('redirect_uri', options.redirectUri);
  url.searchParams.set('scope', options.scope ?? SALESFORCE_SCOPES);
  url.searchParams.set('state', options.state);
  url.searchParams.set('code_challenge', options.codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

export interface TExchangeCodeOptions {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  code: string;
  codeVerifier: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface TSalesforceTokens {
  accessToken: string;
  /** Null when the connected app did not grant the `refresh_token` scope. */
  refreshToken: string | null;
  instanceUrl: string;
  /** Salesforce's `issued_at`; null if it ever leaves it out. */
  issuedAt: Date | null;
}

const ZTokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  instance_url: z.string().url(),
  issued_at: z.string().regex(/^\d+$/).optional(),
});
export type TTokenResponse = z.infer<typeof ZTokenResponse>;

const ZTokenError = z.object({ error: z.string(), error_description: z.string().optional() });

/** The OAuth error codes that mean the grant itself is gone (revoked, expired, spent, wrong verifier). */
const AUTH_ERRORS = new Set(['invalid_grant', 'invalid_request', 'invalid_client', 'unauthorized_client', 'invalid_client_id']);

/**
 * POSTs a form to the token endpoint with a deadline and maps failures onto `CrmSourceError`. The
 * message names the OAuth error code only: never a token, code, verifier or secret.
 */
export async function postTokenForm(
  options: { loginUrl: string; timeoutMs: number; signal?: AbortSignal | undefined },
  form: Record<string, string>,
): Promise<TTokenResponse> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let response: Response;
  try {
    response = await fetch(new URL('/services/oauth2/token', options.loginUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal,
    });
  } catch (error) {
    const timedOut = timeout.aborted;
    throw new CrmSourceError('unavailable', timedOut ? `Salesforce token endpoint did not answer within ${options.timeoutMs} ms` : `Salesforce token endpoint unreachable (${errorName(error)})`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const parsed = ZTokenError.safeParse(body);
    const code = parsed.success ? parsed.data.error : `HTTP ${response.status}`;
    if (response.status >= 500) throw new CrmSourceError('unavailable', `Salesforce token endpoint failed (${code})`);
    if (parsed.success && AUTH_ERRORS.has(parsed.data.error)) {
      throw new CrmSourceError('auth', `Salesforce refused the authorization (${code}): reconnect Salesforce`);
    }
    throw new CrmSourceError(response.status === 429 ? 'rate-limited' : 'bad-response', `Salesforce token endpoint refused the request (${code})`);
  }
  const parsed = ZTokenResponse.safeParse(body);
  if (!parsed.success) throw new CrmSourceError('bad-response', 'Salesforce token endpoint answered without access_token/instance_url');
  return parsed.data;
}

function errorName(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: unknown } }).cause;
    return typeof cause?.code === 'string' ? cause.code : error.name;
  }
  return 'error';
}

/**
 * Exchanges the authorization code from the callback for tokens (grant_type=authorization_code with
 * the PKCE verifier). Throws `CrmSourceError('auth')` for a wrong verifier or a spent code.
 */
export async function exchangeCode(options: TExchangeCodeOptions): Promise<TSalesforceTokens> {
  const token = await postTokenForm(options, {
    grant_type: 'authorization_code',
    code: options.code,
    client_id: options.clientId,
    client_secret: options.clientSecret,
    redirect_uri: options.redirectUri,
    code_verifier: options.codeVerifier,
  });
  return {
    accessToken: token.access_token,
    refreshToken: token.refresh_token ?? null,
    instanceUrl: token.instance_url,
    issuedAt: token.issued_at ? new Date(Number(token.issued_at)) : null,
  };
}
