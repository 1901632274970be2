import type { Block, KnownBlock } from '@slack/types';
import { disableSubscription } from '../domain/digests/manage-subscriptions.js';
import type { TDeliver, TDeliveryRequest, TDeliveryResult } from '../domain/digests/run-digest.js';
import { recordDelivery } from '../domain/workspaces/find-workspace.js';
import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';
import { classifySlackFailure, type SlackGateway, type SlackMessage } from './gateway.js';

/**
 * Sends scheduled messages (digests, alerts, notices) through a gateway whose client never retries
 * by itself (see `createDeliveryGateway`), and does the pacing and retrying here, per channel:
 * - about one message per second per channel (a clock per channel: one busy channel never holds
 *   up another), messages of one channel in the order they were queued;
 * - 429: waits the Retry-After before the next attempt in that channel;
 * - transient failures (5xx, network, Slack internal errors): bounded retries with exponential
 *   backoff;
 * - images refused (`invalid_blocks`, `invalid_blocks_format`, `downgrade_url_blocked`) on a
 *   message with image blocks: re-sent once without them, text kept, and logged;
 * - the channel is unusable (`not_in_channel`, `channel_not_found`, `is_archived`): the
 *   subscription is disabled and its owner gets a DM saying why and how to fix it;
 * - a request's `timeBudgetMs` (the digest slot's remaining lease) bounds it: no attempt starts
 *   after it, so a slow retry can never overlap another instance taking the slot over;
 * - every attempt's outcome is a Delivery row: `retried` (with Slack's error), then `sent`
 *   (with the message ts) or `failed` (with the error), `attempts` counting the calls.
 */

export const IMAGE_ERRORS: ReadonlySet<string> = new Set(['invalid_blocks', 'invalid_blocks_format', 'downgrade_url_blocked']);
export const CHANNEL_ERRORS: ReadonlySet<string> = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

/** Slack's answers for a token that no longer works at all: the workspace removed the app or revoked it. */
export const REVOKED_TOKEN_ERRORS: ReadonlySet<string> = new Set(['token_revoked', 'account_inactive']);

export interface DeliveryQueueOptions {
  gateway: Pick<SlackGateway, 'postMessage'>;
  /**
   * OAuth mode: the gateway to post with for a workspace (its installation's token), looked up at
   * each attempt; null when no active installation serves it (the message fails as `not_installed`).
   */
  gatewayFor?: (workspaceId: number) => Promise<Pick<SlackGateway, 'postMessage'> | null>;
  /**
   * OAuth mode: Slack refused the workspace's token as revoked. A safety net for an `app_uninstalled`
   * or `tokens_revoked` event that never arrived (events are acknowledged before they are handled):
   * the installation is marked inactive so the scheduled jobs stop posting for it.
   */
  onTokenRevoked?: (workspaceId: number, error: string) => Promise<void>;
  db: Db;
  logger: Logger;
  /** Clock in ms (injected in tests). */
  now?: () => number;
  /** Waits (injected in tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Minimum gap between two calls in one channel. Default 1000 ms. */
  perChannelIntervalMs?: number;
  /** Retries of 429 / transient failures per message. Default 4 (5 calls in all, plus one text-only re-send). */
  maxRetries?: number;
  /** Backoff before retry n (0-based) of a transient failure. Default 1 s, 2 s, 4 s, … capped at 30 s. */
  backoffMs?: (retry: number) => number;
  /** A Retry-After longer than this fails the message (as transient) instead of waiting. Default 10 min. */
  maxRetryAfterMs?: number;
}

interface Lane {
  tail: Promise<unknown>;
  /** Earliest time (ms) of the next call in this channel. */
  nextAt: number;
  pending: number;
}

type AnyBlock = KnownBlock | Block;

function isImageElement(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'image';
}

/** Whether a message shows images (image blocks, image accessories or context images). */
export function hasImages(blocks: readonly AnyBlock[] | undefined): boolean {
  return (blocks ?? []).some((b) => {
    if (b.type === 'image') return true;
    const r = b as { accessory?: unknown; elements?: unknown };
    return isImageElement(r.accessory) || (Array.isArray(r.elements) && r.elements.some(isImageElement));
  });
}

/**
 * The same message without any image (blocks, accessories, context images), plus a note that
 * the charts could not be shown. The text is kept.
 *
 * @example
 * withoutImages({ text: 'Digest', blocks: [section, imageBlock] }); // { text: 'Digest', blocks: [section, note] }
 */
export function withoutImages(message: SlackMessage): SlackMessage {
  const blocks: AnyBlock[] = [];
  for (const b of message.blocks ?? []) {
    if (b.type === 'image') continue;
    const r = b as AnyBlock & { accessory?: unknown; elements?: unknown };
    if (isImageElement(r.accessory)) {
      const { accessory: _dropped, ...rest } = r;
      blocks.push(rest as AnyBlock);
      continue;
    }
    if (b.type === 'context' && Array.isArray(r.elements)) {
      const elements = (r.elements as unknown[]).filter((e) => !isImageElement(e));
      if (elements.length > 0) blocks.push({ ...r, elements } as AnyBlock);
      continue;
    }
    blocks.push(b);
  }
  if (blocks.length === 0) return { text: message.text };
  if (blocks.length < 50) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: ':warning: The charts could not be shown in Slack this time; the figures above are complete.' }] });
  return { text: message.text, blocks };
}

/** The DM to a subscription's owner when its channel cannot be posted to. */
export function channelProblemNotice(channelId: string, error: string): SlackMessage {
  const channel = `<#${channelId}>`;
  const why =
    error === 'not_in_channel'
      ? `I'm not a member of ${channel} any more, so I can't post there.`
      : error === 'is_archived'
        ? `${channel} is archived, so nothing can be posted there.`
        : `I can't find ${channel}: it was deleted, or it is a private channel I was removed from.`;
  const fix =
    error === 'is_archived'
      ? `Unarchive it and run \`/invite @Sales KPIs\` there, or pick another channel; then run \`/kpi digest subscribe #channel\`.`
      : `Invite me with \`/invite @Sales KPIs\` in the channel, then run \`/kpi digest subscribe #channel\` to turn the digest back on.`;
  const text = `:warning: I turned off the weekly sales digest for ${channel}. ${why} (Slack said: \`${error}\`.)\nTo fix it: ${fix}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

export class DeliveryQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly interval: number;
  private readonly maxRetries: number;
  private readonly backoff: (retry: number) => number;
  private readonly maxRetryAfterMs: number;

  /** `send` bound to this queue, usable as runDigest's `deliver`. */
  readonly deliver: TDeliver = (request) => this.send(request);

  constructor(private readonly opts: DeliveryQueueOptions) {
    this.clock = opts.now ?? (() => Date.now());
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.interval = opts.perChannelIntervalMs ?? 1000;
    this.maxRetries = opts.maxRetries ?? 4;
    this.backoff = opts.backoffMs ?? ((n) => Math.min(30_000, 1000 * 2 ** n));
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 600_000;
  }

  /**
   * Queues one message in its channel's lane and resolves with the outcome once it is sent or has
   * definitely failed. Never throws for Slack errors.
   *
   * @example
   * const result = await queue.send({ workspaceId: 1, channelId: 'C123', kind: 'digest', refId: slotId, message });
   */
  send(request: TDeliveryRequest): Promise<TDeliveryResult> {
    this.prune();
    let lane = this.lanes.get(request.channelId);
    if (!lane) {
      lane = { tail: Promise.resolve(), nextAt: 0, pending: 0 };
      this.lanes.set(request.channelId, lane);
    }
    const l = lane;
    l.pending++;
    const deadline = request.timeBudgetMs === undefined ? undefined : this.clock() + request.timeBudgetMs;
    const queuedAt = this.clock();
    const run = l.tail.then(() => this.deliverInLane(request, l, deadline, queuedAt));
    l.tail = run.catch(() => undefined);
    return run.finally(() => {
      l.pending--;
    });
  }

  /** Forgets idle lanes whose pacing no longer matters, so the map stays small. */
  private prune(): void {
    if (this.lanes.size < 256) return;
    const now = this.clock();
    for (const [channel, lane] of this.lanes) if (lane.pending === 0 && lane.nextAt <= now) this.lanes.delete(channel);
  }

  /** Resolves when every message queued so far is handled. */
  async drain(): Promise<void> {
    await Promise.all([...this.lanes.values()].map((l) => l.tail));
  }

  private async record(request: TDeliveryRequest, queuedAt: number, status: 'sent' | 'retried' | 'failed', attempts: number, error: string | null, messageTs: string | null): Promise<void> {
    // The caller's time (possibly simulated) advanced by the time spent here.
    const createdAt = new Date(request.at.getTime() + Math.max(0, this.clock() - queuedAt));
    try {
      await recordDelivery({
        db: this.opts.db,
        row: { workspaceId: request.workspaceId, channelId: request.channelId, kind: request.kind, refId: request.refId ?? null, status, attempts, error: error?.slice(0, 1000) ?? null, messageTs, createdAt },
      });
    } catch (e) {
      this.opts.logger.error('delivery: could not record the outcome', { channel: request.channelId, kind: request.kind, status, error: e instanceof Error ? e.message : String(e) });
    }
  }

  private async deliverInLane(request: TDeliveryRequest, lane: Lane, deadline: number | undefined, queuedAt: number): Promise<TDeliveryResult> {
    const { logger } = this.opts;
    const where = { channel: request.channelId, kind: request.kind, refId: request.refId ?? null };
    const imagesAtStart = hasImages(request.message.blocks);
    let message: SlackMessage = request.message;
    let textOnly = false;
    let attempts = 0;
    let retries = 0;
    const giveUp = async (error: string, permanent: boolean): Promise<Extract<TDeliveryResult, { status: 'failed' }>> => {
      await this.record(request, queuedAt, 'failed', attempts, error, null);
      logger.error('delivery failed', { ...where, error, attempts, permanent });
      return { status: 'failed', error, attempts, permanent, subscriptionDisabled: false };
    };
    for (;;) {
      const wait = lane.nextAt - this.clock();
      if (deadline !== undefined && this.clock() + Math.max(0, wait) > deadline) {
        return giveUp(attempts === 0 ? 'deadline_exceeded: not started before the claim expired' : 'deadline_exceeded: retries did not finish before the claim expired', false);
      }
      if (wait > 0) await this.sleep(wait);
      attempts++;
      // Spacing counts from when a call starts (as Slack counts arrivals), whatever its latency.
      const startedAt = this.clock();
      lane.nextAt = startedAt + this.interval;
      let ts: string | undefined;
      try {
        const gateway = this.opts.gatewayFor ? await this.opts.gatewayFor(request.workspaceId) : this.opts.gateway;
        if (!gateway) return giveUp('not_installed', true);
        ts = await gateway.postMessage(request.channelId, message);
      } catch (e) {
        const failure = classifySlackFailure(e);
        if (failure.kind === 'rate_limited' || failure.kind === 'transient') {
          const delay = failure.kind === 'rate_limited' ? failure.retryAfterMs : this.backoff(retries);
          const detail = failure.kind === 'rate_limited' ? `${failure.error} (Retry-After ${Math.round(failure.retryAfterMs / 1000)} s)` : failure.error;
          if (retries >= this.maxRetries) return giveUp(`${detail}; gave up after ${attempts} attempts`, false);
          if (delay > this.maxRetryAfterMs) return giveUp(`${detail}: too long to wait`, false);
          retries++;
          lane.nextAt = Math.max(lane.nextAt, this.clock() + delay);
          await this.record(request, queuedAt, 'retried', attempts, detail, null);
          logger.warn('delivery will be retried', { ...where, error: detail, attempt: attempts, waitMs: delay });
          continue;
        }
        const code = failure.error;
        if (IMAGE_ERRORS.has(code) && imagesAtStart && !textOnly) {
          textOnly = true;
          message = withoutImages(message);
          await this.record(request, queuedAt, 'retried', attempts, `${code}: re-sending without images`, null);
          logger.warn('delivery: Slack refused the message with its images; re-sending it text-only', { ...where, error: code, attempt: attempts });
          continue;
        }
        if (CHANNEL_ERRORS.has(code)) {
          const result = await giveUp(code, true);
          if (request.subscription) return { ...result, subscriptionDisabled: await this.disableAndTellOwner(request, code) };
          return result;
        }
        if (REVOKED_TOKEN_ERRORS.has(code) && this.opts.onTokenRevoked) {
          await this.opts.onTokenRevoked(request.workspaceId, code).catch((e: unknown) => {
            logger.error('delivery: could not mark the installation inactive', { ...where, error: e instanceof Error ? e.message : String(e) });
          });
        }
        return giveUp(code, true);
      }
      await this.record(request, queuedAt, 'sent', attempts, textOnly ? 'sent without images' : null, ts ?? null);
      return { status: 'sent', messageTs: ts, attempts, textOnly };
    }
  }

  /** Disables the subscription (once, whichever instance gets there first) and DMs its owner. */
  private async disableAndTellOwner(request: TDeliveryRequest, error: string): Promise<boolean> {
    const sub = request.subscription;
    if (!sub) return false;
    const { logger } = this.opts;
    let disabled;
    try {
      disabled = await disableSubscription({ db: this.opts.db, subscriptionId: sub.id, reason: error, now: request.at });
    } catch (e) {
      logger.error('delivery: could not disable the subscription', { subscriptionId: sub.id, error: e instanceof Error ? e.message : String(e) });
      return false;
    }
    if (!disabled) return false;
    const owner = disabled.createdBySlackUserId ?? disabled.workspace.installerUserId;
    logger.warn('digest subscription disabled: its channel cannot be posted to', { subscriptionId: sub.id, channel: sub.channelId, error, owner });
    if (!owner) {
      logger.error('digest subscription disabled but nobody to tell (no owner, no installer)', { subscriptionId: sub.id });
      return true;
    }
    const dm = await this.send({ workspaceId: request.workspaceId, channelId: owner, kind: 'notice', refId: sub.id, message: channelProblemNotice(sub.channelId, error), at: request.at });
    if (dm.status !== 'sent') logger.error('could not tell the owner that their digest subscription was disabled', { subscriptionId: sub.id, owner, error: dm.error });
    return true;
  }
}
