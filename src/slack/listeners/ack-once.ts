/**
 * Wraps Bolt's `ack` so it runs at most once, whoever calls it first. Listeners that change data
 * call it when their first answer is ready — after the change is committed — so Slack never hears
 * "ok" for a change that a crash could still lose; every path acks in a `finally` too. A slash
 * command may pass its first answer as the acknowledgement's body (`inAck`).
 *
 * @example
 * const acknowledge = ackOnce(ack);
 * await recordWonDeal(...); // committed
 * await acknowledge();      // Slack hears "ok"
 * await acknowledge();      // no-op
 */
export function ackOnce<TBody = never>(ack: (body?: TBody) => Promise<void>): { (body?: TBody): Promise<void>; done: () => boolean } {
  let sent: Promise<void> | undefined;
  const acknowledge = (body?: TBody) => {
    sent ??= (body === undefined ? ack() : ack(body)).catch(() => undefined);
    return sent;
  };
  return Object.assign(acknowledge, { done: () => sent !== undefined });
}

/**
 * How long after a command arrived its answer may still ride in the acknowledgement: Slack waits
 * 3 s for it and then shows the user a timeout (and drops the body). Later answers go to the
 * `response_url` instead, so a slow commit still tells the user it went through.
 */
export const ANSWER_IN_ACK_WITHIN_MS = 2_000;

/**
 * Whether a command's answer can still be the acknowledgement's body: nothing acknowledged yet and
 * within ANSWER_IN_ACK_WITHIN_MS of its arrival.
 *
 * @example answerFitsInAck(false, 150) // true
 * @example answerFitsInAck(false, 2500) // false: goes to the response_url
 */
export function answerFitsInAck(acknowledged: boolean, elapsedMs: number): boolean {
  return !acknowledged && elapsedMs < ANSWER_IN_ACK_WITHIN_MS;
}
