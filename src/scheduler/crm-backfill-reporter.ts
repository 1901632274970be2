import { crmBackfillProgress, saveCrmBackfillProgress, type TCrmBackfillProgress } from '../domain/crm/backfill-progress.js';
import type { TSyncCrmResult, TSyncProgress } from '../domain/crm/sync-crm.js';
import { channelLocale } from '../i18n/locales.js';
import type { Logger } from '../logger.js';
import { crmBackfillMessage, type TCrmBackfillState } from '../slack/blocks/crm-messages.js';
import type { Db } from '../storage/db.js';

/** Where the progress message goes: `chat.postMessage` (returns its ts) and `chat.update`. */
export interface TCrmProgressPort {
  post(channel: string, message: { text: string }): Promise<string | undefined>;
  update(channel: string, ts: string, message: { text: string }): Promise<void>;
}

export const DEFAULT_PROGRESS_INTERVAL_MS = 5_000;

/**
 * One run's side of an announced full load's Slack message (domain/crm/backfill-progress.ts):
 * posts it when the load starts, updates it in place at most every `intervalMs` while pages
 * arrive, and once after the run (done, still loading, or stopped with the error). Slack failing
 * never stops the sync: it is logged, and the next update tries again.
 */
export class CrmBackfillReporter {
  private lastUpdate = Number.NEGATIVE_INFINITY;
  private chain: Promise<void> = Promise.resolve();
  private total: number | null = null;

  private constructor(
    private readonly db: Db,
    private readonly port: TCrmProgressPort,
    private readonly p: TCrmBackfillProgress,
    private readonly clock: () => Date,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  /**
   * The reporter of a workspace's announced load, or null when none is announced. The message is
   * posted with the run's first page (so only under the sync's lease: never twice), then updated.
   */
  static async start(o: { db: Db; workspaceId: number; port: TCrmProgressPort; clock: () => Date; intervalMs?: number; logger: Logger }): Promise<CrmBackfillReporter | null> {
    const p = await crmBackfillProgress({ db: o.db, workspaceId: o.workspaceId });
    if (!p) return null;
    p.startedAt = p.startedAt ?? o.clock();
    return new CrmBackfillReporter(o.db, o.port, p, o.clock, o.intervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS, o.logger);
  }

  /** `syncCrm`'s onProgress: an update when the last one is `intervalMs` old. */
  readonly onProgress = (progress: TSyncProgress): void => {
    this.total = progress.total ?? this.total;
    const now = this.clock().getTime();
    if (now - this.lastUpdate < this.intervalMs) return;
    this.lastUpdate = now;
    this.send({ state: 'running', vendor: this.p.vendor, deals: this.p.deals + progress.deals, total: this.total });
  };

  /** After the run: done (the announcement ends), still loading, or stopped with the error. */
  async finish(result: TSyncCrmResult): Promise<void> {
    if (result.outcome === 'locked' || result.outcome === 'not-connected') return;
    const deals = this.p.deals + result.deals;
    if (result.outcome === 'synced') {
      const seconds = (this.clock().getTime() - (this.p.startedAt ?? this.clock()).getTime()) / 1000;
      this.send({ state: 'done', vendor: this.p.vendor, deals, seconds });
      await this.chain;
      await saveCrmBackfillProgress({ db: this.db, connectionId: this.p.connectionId, done: true });
      return;
    }
    this.send(result.outcome === 'failed' ? { state: 'failed', vendor: this.p.vendor, deals, error: result.error ?? 'unknown error', nextAttemptAt: result.nextAttemptAt } : { state: 'running', vendor: this.p.vendor, deals, total: this.total });
    await this.chain;
    await saveCrmBackfillProgress({ db: this.db, connectionId: this.p.connectionId, deals });
  }

  private send(state: TCrmBackfillState): void {
    // In order, one at a time: an older count never lands after a newer one.
    this.chain = this.chain.then(async () => {
      // An admin's DM, like a channel post: the workspace's language (the message outlives a run).
      const message = crmBackfillMessage(state, channelLocale({ workspaceLanguage: this.p.language }));
      try {
        if (this.p.ts !== null) {
          await this.port.update(this.p.channel, this.p.ts, message);
          return;
        }
        const ts = await this.port.post(this.p.channel, message);
        if (ts === undefined) return;
        this.p.ts = ts;
        await saveCrmBackfillProgress({ db: this.db, connectionId: this.p.connectionId, ts, ...(this.p.startedAt ? { startedAt: this.p.startedAt } : {}) });
      } catch (e) {
        this.logger.warn('CRM load progress not delivered', { channel: this.p.channel, error: e instanceof Error ? e.message : String(e) });
      }
    });
  }
}
