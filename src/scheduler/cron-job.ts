import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';

/**
 * A node-cron tick (UTC) around one async run: `start()` is idempotent, a tick that starts while
 * the previous run is still going is skipped, a failed run is logged and never throws, and
 * `stop()` waits for a running tick. Subclasses only say what a run is and when it is worth logging.
 */
export abstract class CronJob<TSummary> {
  private task: ScheduledTask | undefined;
  private running: Promise<TSummary> | undefined;

  protected constructor(
    protected readonly name: string,
    protected readonly cronExpression: string,
    protected readonly logger: Logger,
    /** Extra fields for every log line of this job. */
    private readonly logContext: Record<string, unknown> = {},
    /** What the expression is called where the user set it (an environment variable). */
    settingName = `${name} schedule`,
  ) {
    if (!cron.validate(cronExpression)) throw new Error(`${settingName} "${cronExpression}" is not a valid cron expression`);
  }

  /** One run of the job. */
  protected abstract runOnce(): Promise<TSummary>;

  /** Whether a finished run did anything worth an info line. */
  protected abstract worthLogging(summary: TSummary): boolean;

  /** Starts ticking. Idempotent. */
  start(): void {
    if (this.task) return;
    this.task = cron.createTask(this.cronExpression, () => this.tick(), {
      name: this.name,
      timezone: 'UTC',
      suppressMissedWarning: true,
      logger: {
        info: (m) => this.logger.debug(`node-cron: ${m}`),
        warn: (m) => this.logger.debug(`node-cron: ${m}`),
        error: (m) => this.logger.error(`node-cron: ${m instanceof Error ? m.message : m}`),
        debug: () => undefined,
      },
    });
    void this.task.start();
    this.logger.info(`${this.name} job started`, { cron: this.cronExpression, ...this.logContext });
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

  /** Whether `start()` was called (and not stopped since). */
  protected get started(): boolean {
    return this.task !== undefined;
  }

  /** Whether a tick is running now. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** One tick; null when the previous one is still running, or when it failed (logged). */
  async tick(): Promise<TSummary | null> {
    if (this.running) {
      this.logger.debug(`${this.name} tick skipped: the previous one is still running`, this.logContext);
      return null;
    }
    const run = this.runOnce();
    this.running = run;
    try {
      const summary = await run;
      if (this.worthLogging(summary)) this.logger.info(`${this.name} tick`, { ...this.logContext, ...(summary as object) });
      return summary;
    } catch (e) {
      this.logger.error(`${this.name} tick failed`, { ...this.logContext, error: e instanceof Error ? e.message : String(e) });
      return null;
    } finally {
      this.running = undefined;
    }
  }
}
