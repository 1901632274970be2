import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';
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
}

export const DEFAULT_DIGEST_TICK_CRON = '* * * * *';

/** `hostname:pid:random`, unique per process start; stored in DigestSlot.claimedBy. */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export class WeeklyDigestJob {
  readonly instanceId: string;
  private task: ScheduledTask | undefined;
  private running: Promise<TDigestRunSummary> | undefined;
  private readonly cronExpression: string;

  constructor(private readonly opts: WeeklyDigestJobOptions) {
    this.instanceId = opts.instanceId ?? newInstanceId();
    this.cronExpression = opts.cronExpression ?? DEFAULT_DIGEST_TICK_CRON;
    if (!cron.validate(this.cronExpression)) throw new Error(`DIGEST_TICK_CRON "${this.cronExpression}" is not a valid cron expression`);
  }

  /** Starts ticking. Idempotent. */
  start(): void {
    if (this.task) return;
    this.task = cron.createTask(this.cronExpression, () => this.tick(), {
      name: `weekly-digest-${this.instanceId}`,
      timezone: 'UTC',
      suppressMissedWarning: true,
      logger: {
        info: (m) => this.opts.logger.debug(`node-cron: ${m}`),
        warn: (m) => this.opts.logger.debug(`node-cron: ${m}`),
        error: (m) => this.opts.logger.error(`node-cron: ${m instanceof Error ? m.message : m}`),
        debug: () => undefined,
      },
    });
    void this.task.start();
    this.opts.logger.info('weekly digest job started', { instanceId: this.instanceId, cron: this.cronExpression });
  }

  /** Stops ticking and waits for a running tick to finish. */
  async stop(): Promise<void> {
    const task = this.task;
    this.task = undefined;
    if (task) {
      await task.stop();
      await task.destroy();
    }
    await this.running?.catch(() => undefined);
  }

  /** Whether a tick is running now. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /**
   * One tick: runs the digest unless the previous tick is still running (then resolves null).
   * Never throws: failures are logged and the next tick tries again.
   */
  async tick(): Promise<TDigestRunSummary | null> {
    if (this.running) {
      this.opts.logger.debug('weekly digest tick skipped: the previous one is still running', { instanceId: this.instanceId });
      return null;
    }
    const run = runDigest({
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
    this.running = run;
    try {
      const summary = await run;
      if (summary.claimed > 0 || summary.skipped > 0 || summary.alreadySent > 0) this.opts.logger.info('weekly digest tick', { instanceId: this.instanceId, ...summary });
      return summary;
    } catch (e) {
      this.opts.logger.error('weekly digest tick failed', { instanceId: this.instanceId, error: e instanceof Error ? e.message : String(e) });
      return null;
    } finally {
      this.running = undefined;
    }
  }
}
