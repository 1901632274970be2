import type { Db } from '../../storage/db.js';
import { replaceSealed, sealedPage, type TSealedKind } from '../../storage/queries/sealed-secrets.js';
import { sealedKeyId, type TSealKeyRing } from '../../shared/sealed-text.js';
import { openCredentials, sealCredentials } from '../crm/credentials.js';
import { openToken, sealToken } from '../installations/slack-installation.js';

/**
 * Key rotation of the secrets at rest (issue #11): the installations' Slack tokens
 * (SLACK_TOKEN_ENCRYPTION_KEY) and the CRM credentials and in-flight CRM OAuth verifiers
 * (CRM_ENCRYPTION_KEY). `resealSecrets` opens every stored value with its ring (current or a
 * previous key) and seals the ones a previous key sealed with the current key; with `write: false`
 * it only counts, which is also the startup check.
 */

export interface TSecretRings {
  /** Ring of SLACK_TOKEN_ENCRYPTION_KEY (+ _PREVIOUS); null when not configured (those values are skipped). */
  slack: TSealKeyRing | null;
  /** Ring of CRM_ENCRYPTION_KEY (+ _PREVIOUS); null when not configured. */
  crm: TSealKeyRing | null;
}

export interface TResealCount {
  kind: TSealedKind;
  /** Values found. */
  stored: number;
  /** Sealed with the current key already. */
  current: number;
  /** Sealed with a previous key: re-sealed (or, without `write`, to be re-sealed). */
  stale: number;
  /** Opened by no configured key (wrong key, tampered): left as they are. */
  unreadable: number;
  /** Skipped because the app rewrote them meanwhile (they are sealed with the current key then). */
  changedMeanwhile: number;
}

export const SEALED_KINDS: readonly TSealedKind[] = ['slack-token', 'slack-refresh-token', 'crm-credentials', 'crm-oauth-state'];

const ringOf = (rings: TSecretRings, kind: TSealedKind): TSealKeyRing | null => (kind.startsWith('slack') ? rings.slack : rings.crm);

/** Opens and seals again one value of a kind; throws when no key of the ring opens it. */
function resealOne(ring: TSealKeyRing, kind: TSealedKind, row: { installKey: string | null; workspaceId: number | null; blob: string }): string {
  if (kind === 'slack-token' || kind === 'slack-refresh-token') {
    const key = row.installKey ?? '';
    return sealToken(ring, key, openToken(ring, key, row.blob));
  }
  const workspaceId = row.workspaceId ?? 0;
  return sealCredentials(ring, workspaceId, openCredentials(ring, workspaceId, row.blob).credentials);
}

export interface ResealSecretsOptions {
  db: Db;
  rings: TSecretRings;
  /** Re-seal stale values (true), or only count (false: dry run, startup check). */
  write: boolean;
  /** Only these kinds (default: every kind whose ring is configured). */
  kinds?: readonly TSealedKind[];
  pageSize?: number;
}

/**
 * Re-seals every stored secret that a previous key sealed with the current key; values sealed with
 * the current key are left alone, so a second run changes nothing. Counts per kind.
 */
export async function resealSecrets(opts: ResealSecretsOptions): Promise<TResealCount[]> {
  const pageSize = opts.pageSize ?? 500;
  const out: TResealCount[] = [];
  for (const kind of opts.kinds ?? SEALED_KINDS) {
    const ring = ringOf(opts.rings, kind);
    if (!ring) continue;
    const count: TResealCount = { kind, stored: 0, current: 0, stale: 0, unreadable: 0, changedMeanwhile: 0 };
    let after = 0;
    for (;;) {
      const page = await sealedPage(opts.db, kind, after, pageSize);
      for (const row of page) {
        count.stored++;
        let next: string;
        try {
          next = resealOne(ring, kind, row);
        } catch {
          count.unreadable++;
          continue;
        }
        if (sealedKeyId(row.blob) === ring.current.id) {
          count.current++;
          continue;
        }
        count.stale++;
        if (opts.write && !(await replaceSealed(opts.db, kind, row.id, row.blob, next))) count.changedMeanwhile++;
      }
      if (page.length < pageSize) break;
      after = page[page.length - 1]!.id;
    }
    out.push(count);
  }
  return out;
}

const LABEL: Record<TSealedKind, string> = {
  'slack-token': 'Slack installation token',
  'slack-refresh-token': 'Slack refresh token',
  'crm-credentials': 'CRM credential',
  'crm-oauth-state': 'CRM OAuth verifier',
};

/**
 * The startup check: null when every installation token and CRM credential opens with the
 * configured keys, else one line saying which values and which variables to fix (no secret in it).
 * In-flight CRM OAuth verifiers expire within minutes and are not checked.
 */
export async function checkStoredSecrets(opts: { db: Db; rings: TSecretRings }): Promise<string | null> {
  const counts = await resealSecrets({ db: opts.db, rings: opts.rings, write: false, kinds: ['slack-token', 'slack-refresh-token', 'crm-credentials'] });
  const bad = counts.filter((c) => c.unreadable > 0);
  if (bad.length === 0) return null;
  const what = bad.map((c) => `${c.unreadable} stored ${LABEL[c.kind]}${c.unreadable === 1 ? '' : 's'}`).join(', ');
  const vars = [...new Set(bad.map((c) => (c.kind.startsWith('slack') ? 'SLACK_TOKEN_ENCRYPTION_KEY' : 'CRM_ENCRYPTION_KEY')))]
    .map((v) => `${v} (or ${v}_PREVIOUS)`)
    .join(' and ');
  return `Startup stopped: ${what} cannot be opened with ${vars}; set the key they were sealed with (README: Operating → Key rotation).`;
}

/** Human label of a kind, for the CLI's report. */
export function sealedKindLabel(kind: TSealedKind): string {
  return LABEL[kind];
}
