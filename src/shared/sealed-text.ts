import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Text sealed at rest with AES-256-GCM (Slack bot tokens of OAuth installations, issue #11).
 *
 * A sealed blob is `s1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts). The key id is a short
 * hash of the key (so a blob names its key without revealing it); the `context` (e.g. the
 * installation key `team:T123`) is authenticated data, so a blob copied onto another row does not open.
 * A ring may hold previous keys that still open old blobs (rotation; sealing always uses `current`).
 */
export interface TSealKey {
  /** 8 hex characters of SHA-256 over a label and the key. */
  readonly id: string;
  readonly key: Buffer;
}

export interface TSealKeyRing {
  readonly current: TSealKey;
  /** Keys of earlier rotations: they open, never seal. */
  readonly previous: readonly TSealKey[];
}

const VERSION = 's1';
const IV_BYTES = 12;

/** Thrown when a blob does not open: wrong key, another row's blob, tampered or malformed. */
export class UnsealError extends Error {
  constructor() {
    super('sealed value cannot be opened with the configured key');
    this.name = 'UnsealError';
  }
}

/**
 * A key from its base64 text (32 bytes); throws a message naming `variable`, never the value.
 *
 * @example sealKey(process.env.SLACK_TOKEN_ENCRYPTION_KEY!, 'SLACK_TOKEN_ENCRYPTION_KEY').id // 'a1b2c3d4'
 */
export function sealKey(text: string, variable: string): TSealKey {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error(`${variable} must be 32 random bytes in base64 (openssl rand -base64 32).`);
  return { id: createHash('sha256').update('sales-kpi/sealed-text-key-id/v1').update(key).digest('hex').slice(0, 8), key };
}

/**
 * The keys of a `…_PREVIOUS` variable: one key, or several separated by commas (empty parts ignored).
 *
 * @example sealKeys('a…=,b…=', 'SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS').length // 2
 */
export function sealKeys(text: string | null | undefined, variable: string): TSealKey[] {
  if (!text) return [];
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => sealKey(t, variable));
}

/**
 * The id of the key a blob names (its second part), or null when it is not a sealed blob; no key needed.
 *
 * @example sealedKeyId('s1.3fa1c2d0.iv.tag.body') // '3fa1c2d0'
 */
export function sealedKeyId(blob: string): string | null {
  const parts = blob.split('.');
  return parts.length === 5 && parts[0] === VERSION ? (parts[1] ?? null) : null;
}

const aad = (purpose: string, context: string): Buffer => Buffer.from(`sales-kpi/${purpose}/${VERSION}/${context}`);

/**
 * Seals text for a purpose and context with the ring's current key (a fresh random IV each time).
 *
 * @example sealText(ring, 'slack-token', 'team:T1', 'xoxb-…') // 's1.3fa1c2d0.…'
 */
export function sealText(ring: TSealKeyRing, purpose: string, context: string, text: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv);
  cipher.setAAD(aad(purpose, context));
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return [VERSION, ring.current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/**
 * Opens a blob sealed by `sealText` for the same purpose and context; `stale` when the previous key
 * sealed it. Throws UnsealError otherwise.
 *
 * @example openText(ring, 'slack-token', 'team:T1', row.botToken) // { text: 'xoxb-…', stale: false }
 */
export function openText(ring: TSealKeyRing, purpose: string, context: string, blob: string): { text: string; stale: boolean } {
  const parts = blob.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new UnsealError();
  const [, keyId, iv, tag, body] = parts as [string, string, string, string, string];
  const key = ring.current.id === keyId ? ring.current : (ring.previous.find((k) => k.id === keyId) ?? null);
  if (!key) throw new UnsealError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(purpose, context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    return { text, stale: key !== ring.current };
  } catch {
    throw new UnsealError();
  }
}
