import type { Db } from '../db.js';

// Every sealed value at rest, for key rotation and the startup key check (issue #11). Blobs come
// and go sealed; this module never sees a secret in the clear.

/** Where sealed values live: the installations' Slack tokens, CRM credentials, in-flight CRM OAuth verifiers. */
export type TSealedKind = 'slack-token' | 'slack-refresh-token' | 'crm-credentials' | 'crm-oauth-state';

export interface TSealedRow {
  id: number;
  /** What the blob is bound to: the installation key (`team:T1`) or the workspace id. */
  installKey: string | null;
  workspaceId: number | null;
  blob: string;
}

/** One keyset page of sealed values of a kind, after row id `afterId`. */
export async function sealedPage(db: Db, kind: TSealedKind, afterId: number, limit: number): Promise<TSealedRow[]> {
  const where = { id: { gt: afterId } };
  switch (kind) {
    case 'slack-token': {
      const rows = await db.prisma.slackInstallation.findMany({ where, orderBy: { id: 'asc' }, take: limit, select: { id: true, installKey: true, botToken: true } });
      return rows.map((r) => ({ id: r.id, installKey: r.installKey, workspaceId: null, blob: r.botToken }));
    }
    case 'slack-refresh-token': {
      const rows = await db.prisma.slackInstallation.findMany({ where: { ...where, botRefreshToken: { not: null } }, orderBy: { id: 'asc' }, take: limit, select: { id: true, installKey: true, botRefreshToken: true } });
      return rows.map((r) => ({ id: r.id, installKey: r.installKey, workspaceId: null, blob: r.botRefreshToken ?? '' }));
    }
    case 'crm-credentials': {
      const rows = await db.prisma.crmConnection.findMany({ where, orderBy: { id: 'asc' }, take: limit, select: { id: true, workspaceId: true, credentials: true } });
      return rows.map((r) => ({ id: r.id, installKey: null, workspaceId: r.workspaceId, blob: r.credentials }));
    }
    case 'crm-oauth-state': {
      const rows = await db.prisma.crmOAuthState.findMany({ where, orderBy: { id: 'asc' }, take: limit, select: { id: true, workspaceId: true, sealed: true } });
      return rows.map((r) => ({ id: r.id, installKey: null, workspaceId: r.workspaceId, blob: r.sealed }));
    }
  }
}

/**
 * Replaces one sealed value if it is still `from` (compare-and-set: a value the running app wrote
 * meanwhile, e.g. a refreshed Salesforce token, is left alone). Returns whether it was replaced.
 */
export async function replaceSealed(db: Db, kind: TSealedKind, id: number, from: string, to: string): Promise<boolean> {
  let count: number;
  switch (kind) {
    case 'slack-token':
      ({ count } = await db.prisma.slackInstallation.updateMany({ where: { id, botToken: from }, data: { botToken: to } }));
      break;
    case 'slack-refresh-token':
      ({ count } = await db.prisma.slackInstallation.updateMany({ where: { id, botRefreshToken: from }, data: { botRefreshToken: to } }));
      break;
    case 'crm-credentials':
      ({ count } = await db.prisma.crmConnection.updateMany({ where: { id, credentials: from }, data: { credentials: to } }));
      break;
    case 'crm-oauth-state':
      ({ count } = await db.prisma.crmOAuthState.updateMany({ where: { id, sealed: from }, data: { sealed: to } }));
      break;
  }
  return count > 0;
}
