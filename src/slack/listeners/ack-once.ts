/**
 * Wraps Bolt's `ack` so it runs at most once, whoever calls it first. Listeners that change data
 * call it when their first answer is ready — after the change is committed — so Slack never hears
 * "ok" for a change that a crash could still lose; every path acks in a `finally` too.
 *
 * @example
 * const acknowledge = ackOnce(ack);
 * await recordWonDeal(...); // committed
 * await acknowledge();      // Slack hears "ok"
 * await acknowledge();      // no-op
 */
export function ackOnce(ack: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= ack().catch(() => undefined);
    return done;
  };
}
