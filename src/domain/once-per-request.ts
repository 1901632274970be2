import { AppError, isAppError } from '../errors.js';
import type { Db } from '../storage/db.js';
import { auditEntryTimeOfRequest, workspaceTimeZone } from '../storage/queries/request-keys.js';
import { localParts } from './periods.js';

/**
 * Exactly once per Slack delivery. Every change writes its audit entry with the delivery's request
 * key, in the same transaction as the change, and (workspaceId, requestKey) is unique: a repeated
 * delivery either finds that entry first, or its own transaction fails (on the key, or on the
 * change the first one made) and rolls back. Either way it is answered ALREADY_DONE.
 */
export interface TRequestOnce {
  db: Db;
  workspaceId: number;
  /** Null or undefined: no delivery behind the change (imports, scripts); no check. */
  requestKey: string | null | undefined;
  now: Date;
  /**
   * False skips the look-up before running: only for changes whose every write path stores the
   * audit entry under the key (so a repeat always fails or writes nothing, and is recognised
   * after). Saves a query per change. Default true.
   */
  lookFirst?: boolean;
  /** The workspace's time zone when the caller has it (saves a read on a repeated delivery). */
  timeZone?: string;
}

/** When the delivery with this key was carried out, or null if it was not (yet). */
export async function requestHandledAt(db: Db, workspaceId: number, requestKey: string): Promise<Date | null> {
  return auditEntryTimeOfRequest(db, workspaceId, requestKey);
}

/**
 * How the handled time reads: the time alone on the same local day as `now`, else with the date.
 *
 * @example
 * handledAtText(new Date('2026-11-30T10:02:00Z'), new Date('2026-11-30T10:05:00Z'), 'UTC'); // '10:02'
 * handledAtText(new Date('2026-11-29T10:02:00Z'), new Date('2026-11-30T10:05:00Z'), 'UTC'); // '2026-11-29 10:02'
 */
export function handledAtText(handledAt: Date, now: Date, timeZone: string): string {
  const h = localParts(handledAt, timeZone);
  const n = localParts(now, timeZone);
  const pad = (x: number) => String(x).padStart(2, '0');
  const time = `${pad(h.hour)}:${pad(h.minute)}`;
  return h.year === n.year && h.month === n.month && h.day === n.day ? time : `${h.year}-${pad(h.month)}-${pad(h.day)} ${time}`;
}

export function alreadyDoneError(handledAt: Date, now: Date, timeZone: string): AppError {
  const when = handledAtText(handledAt, now, timeZone);
  const h = localParts(handledAt, timeZone);
  const n = localParts(now, timeZone);
  const sameDay = h.year === n.year && h.month === n.month && h.day === n.day;
  return new AppError('ALREADY_DONE', `Already done — this request was handled at ${when}; nothing changed again.`, {
    i18n: { key: 'error.alreadyDone', dates: { when: { at: handledAt, timeZone, show: sameDay ? 'time' : 'dayAndTime' } } },
  });
}

export function isAlreadyDone(e: unknown): e is AppError {
  return isAppError(e) && e.code === 'ALREADY_DONE';
}

async function alreadyDone(req: TRequestOnce, handledAt: Date): Promise<AppError> {
  const timeZone = req.timeZone ?? (await workspaceTimeZone(req.db, req.workspaceId));
  return alreadyDoneError(handledAt, req.now, timeZone ?? 'UTC');
}

/**
 * Runs one change at most once per request key. A key seen before throws ALREADY_DONE without
 * running. When the run fails, or reports it wrote nothing (`wroteNothing`), and the key turns out
 * to have been handled meanwhile (a concurrent duplicate won the race), that is ALREADY_DONE too.
 *
 * @example
 * await oncePerRequest({ db, workspaceId, requestKey: 'cmd:123.456', now }, () => setRole({ ... }));
 */
export async function oncePerRequest<T>(req: TRequestOnce, run: () => Promise<T>, wroteNothing?: (result: T) => boolean): Promise<T> {
  const key = req.requestKey;
  if (!key) return run();
  if (req.lookFirst !== false) {
    const seen = await requestHandledAt(req.db, req.workspaceId, key);
    if (seen) throw await alreadyDone(req, seen);
  }
  let result: T;
  try {
    result = await run();
  } catch (e) {
    const handled = await requestHandledAt(req.db, req.workspaceId, key).catch(() => null);
    if (handled) throw await alreadyDone(req, handled);
    throw e;
  }
  if (wroteNothing?.(result)) {
    const handled = await requestHandledAt(req.db, req.workspaceId, key);
    if (handled) throw await alreadyDone(req, handled);
  }
  return result;
}
