import { z } from 'zod';
import { AppError } from '../../errors.js';
import { openText, sealKey, sealKeys, sealText, type TSealKey, type TSealKeyRing } from '../../shared/sealed-text.js';

/**
 * CRM credentials at rest (issue #10): AES-256-GCM with a key from the environment
 * (`CRM_ENCRYPTION_KEY`, 32 bytes in base64, checked by src/config.ts), sealed by the same code as
 * the Slack tokens of OAuth installs (src/shared/sealed-text.ts).
 *
 * A sealed blob is `s1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts). The key id is a short
 * hash of the key, so a blob names the key that sealed it without revealing it. The purpose and the
 * workspace id are authenticated data: a blob copied onto another workspace's row does not open.
 *
 * Rotation: set the new key as `CRM_ENCRYPTION_KEY` and the old one as
 * `CRM_ENCRYPTION_KEY_PREVIOUS`. Blobs sealed with either open; every write seals with the current
 * key, and loading a connection sealed with the previous key re-seals it (`loadCrmConnection`), so
 * after one sync of every workspace the previous key can be dropped.
 */

/** What a connector needs to log in (token, refresh token, instance URL…), by name. Never logged. */
export type TCrmCredentials = Readonly<Record<string, string>>;

export const ZCrmCredentials = z.record(z.string(), z.string());

export type TCrmKey = TSealKey;
export type TCrmKeyRing = TSealKeyRing;

const PURPOSE = 'crm-credentials';

/**
 * The id a key is named by in the blobs it seals.
 *
 * @example crmKeyId(Buffer.alloc(32, 1)) // 8 hex characters, the same for the same key
 */
export function crmKeyId(key: Buffer): string {
  return sealKey(key.toString('base64'), 'key').id;
}

function keyOf(text: string, name: string): TCrmKey {
  try {
    return sealKey(text, name);
  } catch (e) {
    throw new AppError('INVALID_INPUT', e instanceof Error ? e.message : `${name} is not a usable key.`);
  }
}

/**
 * The key ring from the two environment values (validated by src/config.ts); the previous one may
 * list several keys separated by commas.
 *
 * @example crmKeyRing(process.env.CRM_ENCRYPTION_KEY!, process.env.CRM_ENCRYPTION_KEY_PREVIOUS)
 */
export function crmKeyRing(current: string, previous?: string | null): TCrmKeyRing {
  let previousKeys: TCrmKey[];
  try {
    previousKeys = sealKeys(previous, 'CRM_ENCRYPTION_KEY_PREVIOUS');
  } catch (e) {
    throw new AppError('INVALID_INPUT', e instanceof Error ? e.message : 'CRM_ENCRYPTION_KEY_PREVIOUS is not a usable key.');
  }
  return { current: keyOf(current, 'CRM_ENCRYPTION_KEY'), previous: previousKeys };
}

/**
 * Seals credentials for one workspace with the ring's current key (a fresh random IV each time).
 *
 * @example sealCredentials(ring, 7, { token: 'pat-…' }) // 's1.3fa1c2d0.…'
 */
export function sealCredentials(ring: TCrmKeyRing, workspaceId: number, credentials: TCrmCredentials): string {
  return sealText(ring, PURPOSE, `workspace:${workspaceId}`, JSON.stringify(credentials));
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
  try {
    const { text, stale } = openText(ring, PURPOSE, `workspace:${workspaceId}`, blob);
    return { credentials: ZCrmCredentials.parse(JSON.parse(text)), stale };
  } catch {
    throw new AppError('INTERNAL', UNREADABLE);
  }
}
