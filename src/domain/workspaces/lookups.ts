import type { Db } from '../../storage/db.js';
import type { DigestSubscription, Rep } from '../../storage/models.js';
import { currencyRateOf, currencyRates, repByIdOrThrow, repCountsByTeam, repOfSlackUser, subscriptionOfChannel, unlinkedReps } from '../../storage/queries/lookups.js';
import { teamNameById } from '../../storage/queries/names.js';

// Reads the Slack adapters need to word their answers; they go through here, not to the database.

/** The workspace's conversion rates to its reporting currency, by source currency. */
export function listCurrencyRates(opts: { db: Db; workspaceId: number }): Promise<Array<{ fromCurrency: string; rate: number }>> {
  return currencyRates(opts.db, opts.workspaceId);
}

/** A rep of the workspace by id (e.g. a deal's owner); throws when the row is gone (or of another workspace). */
export function findRepById(opts: { db: Db; workspaceId: number; repId: number }): Promise<Rep> {
  return repByIdOrThrow(opts.db, opts.workspaceId, opts.repId);
}

/** A team's name when it belongs to the workspace, else null. */
export function findTeamName(opts: { db: Db; workspaceId: number; teamId: number }): Promise<string | null> {
  return teamNameById(opts.db, opts.workspaceId, opts.teamId);
}

/** Members per team id. */
export function countTeamMembers(opts: { db: Db; workspaceId: number }): Promise<Map<number, number>> {
  return repCountsByTeam(opts.db, opts.workspaceId);
}

/** The digest subscription of a channel, or null. */
export function findChannelSubscription(opts: { db: Db; workspaceId: number; channelId: string }): Promise<DigestSubscription | null> {
  return subscriptionOfChannel(opts.db, opts.workspaceId, opts.channelId);
}

/** A rep by Slack user id, or null when the app has not met them. */
export function findRepOfSlackUser(opts: { db: Db; workspaceId: number; slackUserId: string }): Promise<Rep | null> {
  return repOfSlackUser(opts.db, opts.workspaceId, opts.slackUserId);
}

/** The rate of one source currency to the reporting currency, or null. */
export function findCurrencyRate(opts: { db: Db; workspaceId: number; fromCurrency: string }): Promise<{ rate: number } | null> {
  return currencyRateOf(opts.db, opts.workspaceId, opts.fromCurrency);
}

/** Reps known only by name (from an import, no Slack user yet), at most `take`. */
export function listUnlinkedReps(opts: { db: Db; workspaceId: number; take: number }): Promise<Array<{ id: number; name: string }>> {
  return unlinkedReps(opts.db, opts.workspaceId, opts.take);
}
