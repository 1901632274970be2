import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';
import { CronJob } from './cron-job.js';
import { runDigest, type TBuildDigest, type TDeliver, type TDigestRunSummary } from '../domain/digests/run-digest.js';

/**
 * Runs the weekly digest on a node-cron tick (every minute by default). The schedule rules live in
 * the database and in domain/digests (each tick claims whatever is due), so the tick only has to
 * be frequent: several instances can tick at once, the claims keep every slot exactly-once. A tick
 * that starts while the previous one is still running is skipped.
 */
export interface WeeklyDigestJobOptions {
  db: Db;
  deliver: TDeliver;
  buildDigest: TBuildDigest;
  logger: Logger;
  graceMs: number;
  leaseMs: number;
  /** node-cron expression (a leading seconds field is allowed). Default every minute. */
  cronExpression?: string;
  instanceId?: string;
  /** Injected clock. */
  now?: () => Date;
  /** OAuth mode: the workspaces an active installation serves, asked at each tick; default all. */
  servedWorkspaces?: () => Promise<ReadonlySet<number>>;
}

export const DEFAULT_DIGEST_TICK_CRON = '* * * * *';

/** `hostname:pid:random`, unique per process start; stored in DigestSlot.claimedBy. */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export class WeeklyDigestJob extends CronJob<TDigestRunSummary> {
  readonly instanceId: string;

  constructor(private readonly opts: WeeklyDigestJobOptions) {
    const instanceId = opts.instanceId ?? newInstanceId();
    super('weekly digest', opts.cronExpression ?? DEFAULT_DIGEST_TICK_CRON, opts.logger, { instanceId }, 'DIGEST_TICK_CRON');
    this.instanceId = instanceId;
  }

  protected async runOnce(): Promise<TDigestRunSummary> {
    const workspaceIds = await this.opts.servedWorkspaces?.();
    return runDigest({
      ...(workspaceIds ? { workspaceIds } : {}),
      now: this.opts.now?.() ?? new Date(),
      db: this.opts.db,
      deliver: this.opts.deliver,
      buildDigest: this.opts.buildDigest,
      instanceId: this.instanceId,
      graceMs: this.opts.graceMs,
      leaseMs: this.opts.leaseMs,
      logger: this.opts.logger,
      ...(this.opts.now ? { clock: this.opts.now } : {}),
    });
  }

  protected worthLogging(summary: TDigestRunSummary): boolean {
    return summary.claimed > 0 || summary.skipped > 0 || summary.alreadySent > 0;
  }
}
