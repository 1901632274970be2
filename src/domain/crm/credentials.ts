import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../errors.js';

/**
 * CRM credentials at rest (issue #10): AES-256-GCM with a key from the environment
 * (`CRM_ENCRYPTION_KEY`, 32 bytes in base64, checked by src/config.ts).
 *
 * A sealed blob is `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts). The key id is a short
 * hash of the key, so a blob names the key that sealed it without revealing it. The workspace id
 * is authenticated data: a blob copied onto another workspace's row does not open.
 *
 * Rotation: set the new key as `CRM_ENCRYPTION_KEY` and the old one as
 * `CRM_ENCRYPTION_KEY_PREVIOUS`. Blobs sealed with either open; every write seals with the current
 * key, and loading a connection sealed with the previous key re-seals it (`loadCrmConnection`), so
 * after one sync of every workspace the previous key can be dropped.
 */

/** What a connector needs to log in (token, refresh token, instance URL…), by name. Never logged. */
export type TCrmCredentials = Readonly<Record<string, string>>;

export const ZCrmCredentials = z.record(z.string(), z.string());

export interface TCrmKey {
  /** 8 hex characters of SHA-256 over a label and the key: names the key in a blob. */
  readonly id: string;
  readonly key: Buffer;
}

export interface TCrmKeyRing {
  readonly current: TCrmKey;
  readonly previous: TCrmKey | null;
}

const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * The id a key is named by in the blobs it seals.
 *
 * @example crmKeyId(Buffer.alloc(32, 1)) // 8 hex characters, the same for the same key
 */
export function crmKeyId(key: Buffer): string {
  return createHash('sha256').update('sales-kpi/crm-credentials-key-id/v1').update(key).digest('hex').slice(0, 8);
}

function keyOf(text: string, name: string): TCrmKey {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new AppError('INVALID_INPUT', `${name} must be 32 random bytes in base64 (openssl rand -base64 32).`);
  return { id: crmKeyId(key), key };
}

/**
 * The key ring from the two environment values (validated by src/config.ts).
 *
 * @example crmKeyRing(process.env.CRM_ENCRYPTION_KEY!, process.env.CRM_ENCRYPTION_KEY_PREVIOUS)
 */
export function crmKeyRing(current: string, previous?: string | null): TCrmKeyRing {
  return { current: keyOf(current, 'CRM_ENCRYPTION_KEY'), previous: previous ? keyOf(previous, 'CRM_ENCRYPTION_KEY_PREVIOUS') : null };
}

const aad = (workspaceId: number): Buffer => Buffer.from(`sales-kpi/crm-credentials/${VERSION}/workspace:${workspaceId}`);

/**
 * Seals credentials for one workspace with the ring's current key (a fresh random IV each time).
 *
 * @example sealCredentials(ring, 7, { token: 'pat-…' }) // 'v1.3fa1c2d0.…'
 */
export function sealCredentials(ring: TCrmKeyRing, workspaceId: number, credentials: TCrmCredentials): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv);
  cipher.setAAD(aad(workspaceId));
  const body = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
  return [VERSION, ring.current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export interface TOpenedCredentials {
  credentials: TCrmCredentials;
  /** Sealed with the previous key: the caller re-seals it with the current one. */
  stale: boolean;
}

const UNREADABLE =
  'The stored CRM credentials cannot be decrypted with CRM_ENCRYPTION_KEY (nor CRM_ENCRYPTION_KEY_PREVIOUS). Restore the key they were sealed with, or connect the CRM again.';

/**
 * Opens a blob sealed by `sealCredentials` for this workspace. A wrong key, another workspace's
 * blob or a tampered one throws an AppError that names the variables, never a secret.
 *
 * @example openCredentials(ring, 7, row.credentials) // { credentials: { token: 'pat-…' }, stale: false }
 */
export function openCredentials(ring: TCrmKeyRing, workspaceId: number, blob: string): TOpenedCredentials {
  const parts = blob.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new AppError('INTERNAL', UNREADABLE);
  const [, keyId, iv, tag, body] = parts as [string, string, string, string, string];
  const key = ring.current.id === keyId ? ring.current : ring.previous?.id === keyId ? ring.previous : null;
  if (!key) throw new AppError('INTERNAL', UNREADABLE);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(workspaceId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    return { credentials: ZCrmCredentials.parse(JSON.parse(text)), stale: key !== ring.current };
  } catch {
    throw new AppError('INTERNAL', UNREADABLE);
  }
}
