import { describe, expect, test } from 'vitest';
import { crmKeyId, crmKeyRing, openCredentials, sealCredentials } from '../../src/domain/crm/credentials.js';

const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');
const CREDS = { refreshToken: '5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJ', instanceUrl: 'https://acme.my.salesforce.com' };

describe('CRM credentials at rest', () => {
  test('round trip; the blob names its key and holds no plaintext', () => {
    const ring = crmKeyRing(KEY_A);
    const blob = sealCredentials(ring, 7, CREDS);
    expect(blob.split('.')).toHaveLength(5);
    expect(blob.startsWith(`s1.${crmKeyId(Buffer.from(KEY_A, 'base64'))}.`)).toBe(true);
    expect(blob).not.toContain('5Aep861');
    expect(blob).not.toContain('salesforce');
    expect(openCredentials(ring, 7, blob)).toEqual({ credentials: CREDS, stale: false });
  });

  test('a fresh IV each time: sealing twice gives two blobs', () => {
    const ring = crmKeyRing(KEY_A);
    expect(sealCredentials(ring, 7, CREDS)).not.toBe(sealCredentials(ring, 7, CREDS));
  });

  test('the wrong key fails with a message naming the variables, not a secret', () => {
    const blob = sealCredentials(crmKeyRing(KEY_A), 7, CREDS);
    expect(() => openCredentials(crmKeyRing(KEY_B), 7, blob)).toThrow(/CRM_ENCRYPTION_KEY/);
  });

  test('a blob copied to another workspace does not open (workspace id authenticated)', () => {
    const ring = crmKeyRing(KEY_A);
    expect(() => openCredentials(ring, 8, sealCredentials(ring, 7, CREDS))).toThrow(/cannot be decrypted/);
  });

  test.each([
    ['a flipped ciphertext byte', (b: string) => { const p = b.split('.'); const body = Buffer.from(p[4]!, 'base64url'); body[0] = body[0]! ^ 1; p[4] = body.toString('base64url'); return p.join('.'); }],
    ['a forged key id', (b: string) => b.replace(/^s1\.[0-9a-f]{8}/, 's1.00000000')],
    ['another version', (b: string) => b.replace(/^s1/, 's2')],
    ['not a blob', () => 'hello'],
  ])('tampering refused: %s', (_label, tamper) => {
    const ring = crmKeyRing(KEY_A);
    expect(() => openCredentials(ring, 7, tamper(sealCredentials(ring, 7, CREDS)))).toThrow(/cannot be decrypted/);
  });

  test('rotation: the previous key still opens (stale), new seals use the current key', () => {
    const old = sealCredentials(crmKeyRing(KEY_A), 7, CREDS);
    const rotated = crmKeyRing(KEY_B, KEY_A);
    expect(openCredentials(rotated, 7, old)).toEqual({ credentials: CREDS, stale: true });
    const fresh = sealCredentials(rotated, 7, CREDS);
    expect(fresh.split('.')[1]).toBe(rotated.current.id);
    expect(openCredentials(crmKeyRing(KEY_B), 7, fresh)).toEqual({ credentials: CREDS, stale: false });
  });

  test('a key that is not 32 bytes is refused', () => {
    expect(() => crmKeyRing(Buffer.alloc(16).toString('base64'))).toThrow(/32 random bytes/);
  });
});
