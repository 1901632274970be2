import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrmSourceError } from '../../src/domain/crm/crm-source.js';
import { buildAuthorizeUrl, createPkcePair, exchangeCode, pkceChallenge } from '../../src/crm/salesforce/oauth.js';
import { FakeSalesforce } from '../helpers/fake-salesforce.js';

const REDIRECT = 'https://kpi.example.com/oauth/salesforce/callback';

describe('Salesforce PKCE helpers', () => {
  it('matches the RFC 7636 appendix B test vector', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('creates a 43–128 character unreserved verifier and its S256 challenge, fresh each time', () => {
    const a = createPkcePair();
    const b = createPkcePair();
    expect(a.codeVerifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    expect(a.codeChallenge).toBe(createHash('sha256').update(a.codeVerifier).digest('base64url'));
    expect(a.codeChallengeMethod).toBe('S256');
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
  });

  it('builds the authorize URL with response_type=code, the scopes, state and challenge', () => {
    const url = new URL(
      buildAuthorizeUrl({ loginUrl: 'https://login.salesforce.com', clientId: 'cid', redirectUri: REDIRECT, state: 'st-1', codeChallenge: 'chal' }),
    );
    expect(url.origin + url.pathname).toBe('https://login.salesforce.com/services/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'cid',
      redirect_uri: REDIRECT,
      scope: 'api refresh_token',
      state: 'st-1',
      code_challenge: 'chal',
      code_challenge_method: 'S256',
    });
  });
});

describe('exchangeCode against the fake token endpoint', () => {
  const sf = new FakeSalesforce();
  beforeAll(async () => {
    await sf.start();
  });
  afterAll(async () => {
    await sf.stop();
  });
  const base = () => ({ loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret, redirectUri: REDIRECT, timeoutMs: 2000 });

  it('returns tokens and the instance URL for the right verifier', async () => {
    const pair = createPkcePair();
    const code = sf.authorize({ codeChallenge: pair.codeChallenge, redirectUri: REDIRECT });
    const tokens = await exchangeCode({ ...base(), code, codeVerifier: pair.codeVerifier });
    expect(tokens.accessToken).toMatch(/^00DFAKE!/);
    expect(tokens.refreshToken).toMatch(/^5Aep/);
    expect(tokens.instanceUrl).toBe(sf.url);
    expect(tokens.issuedAt?.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    const sent = sf.requestsTo('token').at(-1)?.form;
    expect(sent).toMatchObject({ grant_type: 'authorization_code', code, code_verifier: pair.codeVerifier, redirect_uri: REDIRECT });
  });

  it("refuses a wrong verifier with an 'auth' error that leaks neither code nor verifier", async () => {
    const pair = createPkcePair();
    const other = createPkcePair();
    const code = sf.authorize({ codeChallenge: pair.codeChallenge, redirectUri: REDIRECT });
    const error = await exchangeCode({ ...base(), code, codeVerifier: other.codeVerifier }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmSourceError);
    expect((error as CrmSourceError).kind).toBe('auth');
    expect((error as CrmSourceError).message).toContain('invalid_request');
    expect((error as CrmSourceError).message).not.toContain(code);
    expect((error as CrmSourceError).message).not.toContain(other.codeVerifier);
  });

  it('refuses a spent code (invalid_grant)', async () => {
    const pair = createPkcePair();
    const code = sf.authorize({ codeChallenge: pair.codeChallenge, redirectUri: REDIRECT });
    await exchangeCode({ ...base(), code, codeVerifier: pair.codeVerifier });
    await expect(exchangeCode({ ...base(), code, codeVerifier: pair.codeVerifier })).rejects.toMatchObject({ kind: 'auth', message: expect.stringContaining('invalid_grant') });
  });

  it("reports a silent token endpoint as 'unavailable' within the deadline", async () => {
    const { createServer } = await import('node:http');
    const server = createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const started = performance.now();
    const error = await exchangeCode({ ...base(), loginUrl: `http://127.0.0.1:${port}`, timeoutMs: 200, code: 'c', codeVerifier: 'v'.repeat(43) }).catch((e: unknown) => e);
    server.closeAllConnections();
    server.close();
    expect(error).toMatchObject({ kind: 'unavailable' });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
