/**
 * The idempotency key of a Slack delivery: what stays the same when Slack (or a proxy) delivers the
 * same request again, and differs between two real requests. The domain records it on the audit
 * entry of the change it made (see domain/once-per-request.ts).
 */

/**
 * A slash command: its trigger id (a retry carries the same one).
 *
 * @example
 * commandRequestKey({ trigger_id: '123.456.abc' }); // 'cmd:123.456.abc'
 */
export function commandRequestKey(command: { trigger_id: string }): string {
  return `cmd:${command.trigger_id}`;
}

/**
 * A button click: the action's timestamp, who clicked, and the message it was on.
 *
 * @example
 * actionRequestKey({ user: { id: 'U1' }, actions: [{ action_ts: '1700000000.1' }], container: { message_ts: '1699.2' } }); // 'act:1700000000.1:U1:1699.2'
 */
export function actionRequestKey(body: { user: { id: string }; actions: ReadonlyArray<{ action_ts: string }>; container?: { message_ts?: string }; message?: { ts?: string } }): string {
  return `act:${body.actions[0]?.action_ts ?? ''}:${body.user.id}:${body.container?.message_ts ?? body.message?.ts ?? ''}`;
}

/**
 * A modal submission: the view and its hash (the hash changes whenever the view is updated).
 *
 * @example
 * viewRequestKey({ id: 'V1', hash: '156.abc' }); // 'view:V1:156.abc'
 */
export function viewRequestKey(view: { id: string; hash: string }): string {
  return `view:${view.id}:${view.hash}`;
}
