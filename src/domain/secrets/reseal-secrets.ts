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

export interface TStoredSecretsCheck {
  /** One line saying which values no configured key opens and which variables to fix; null when the keys are right. */
  stop: string | null;
  /** One line about single values a configured key should open but does not (damaged rows); null when none was met. */
  damaged: string | null;
}

const variableOf = (kind: TSealedKind) => (kind.startsWith('slack') ? 'SLACK_TOKEN_ENCRYPTION_KEY' : 'CRM_ENCRYPTION_KEY');
const countedLabel = (n: number, kind: TSealedKind) => `${n} stored ${LABEL[kind]}${n === 1 ? '' : 's'}`;

/**
 * The startup check: are the configured keys the ones the installation tokens and CRM credentials
 * were sealed with? A blob names its key (`sealedKeyId`), so only one value per key is opened to
 * prove it; a value naming no configured key, or a key none of whose values opens, stops startup
 * (every request of those workspaces would fail). A damaged value met before its key was proven
 * does not stop the app for every other workspace: it is reported apart (`damaged`); values after
 * the proof are not opened here (a damaged one fails when its workspace is next served). No secret
 * in either line. In-flight CRM OAuth verifiers expire within minutes and are not checked.
 */
export async function checkStoredSecrets(opts: { db: Db; rings: TSecretRings; pageSize?: number }): Promise<TStoredSecretsCheck> {
  const pageSize = opts.pageSize ?? 500;
  const unreadable: Array<{ kind: TSealedKind; n: number }> = [];
  const damaged: Array<{ kind: TSealedKind; n: number }> = [];
  for (const kind of ['slack-token', 'slack-refresh-token', 'crm-credentials'] as const) {
    const ring = ringOf(opts.rings, kind);
    if (!ring) continue;
    const configured = new Set([ring.current.id, ...ring.previous.map((k) => k.id)]);
    const proven = new Set<string>();
    /** Values of a configured key that did not open, by key id, before (or without) one that did. */
    const failedByKey = new Map<string, number>();
    let unknownKey = 0;
    let after = 0;
    for (;;) {
      const page = await sealedPage(opts.db, kind, after, pageSize);
      for (const row of page) {
        const keyId = sealedKeyId(row.blob);
        if (keyId === null || !configured.has(keyId)) {
          unknownKey++;
          continue;
        }
        if (proven.has(keyId)) continue;
        try {
          resealOne(ring, kind, row);
          proven.add(keyId);
        } catch {
          failedByKey.set(keyId, (failedByKey.get(keyId) ?? 0) + 1);
        }
      }
      if (page.length < pageSize) break;
      after = page[page.length - 1]!.id;
    }
    let wrongKey = unknownKey;
    let damagedHere = 0;
    for (const [keyId, n] of failedByKey) {
      if (proven.has(keyId)) damagedHere += n;
      else wrongKey += n;
    }
    if (wrongKey > 0) unreadable.push({ kind, n: wrongKey });
    if (damagedHere > 0) damaged.push({ kind, n: damagedHere });
  }
  const stop =
    unreadable.length === 0
      ? null
      : `Startup stopped: ${unreadable.map((u) => countedLabel(u.n, u.kind)).join(', ')} cannot be opened with ${[...new Set(unreadable.map((u) => variableOf(u.kind)))]
          .map((v) => `${v} (or ${v}_PREVIOUS)`)
          .join(' and ')}; set the key they were sealed with (README: Operating → Key rotation).`;
  const damagedLine =
    damaged.length === 0
      ? null
      : `${damaged.map((d) => countedLabel(d.n, d.kind)).join(', ')} sealed with a configured key did not open (damaged or copied from another row); those workspaces must reinstall or reconnect.`;
  return { stop, damaged: damagedLine };
}

/** Human label of a kind, for the CLI's report. */
export function sealedKindLabel(kind: TSealedKind): string {
  return LABEL[kind];
}
