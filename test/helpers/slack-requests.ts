import { createHmac } from 'node:crypto';

/**
 * Sends Slack-shaped, correctly signed requests to the app over loopback HTTP, exactly as Slack
 * would: form-encoded slash commands and `payload=<json>` interactivity.
 */
export function signSlackRequest(signingSecret: string, timestamp: number, rawBody: string): string {
  return 'v0=' + createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
}

export interface SlackSender {
  post(rawBody: string, opts?: { contentType?: string; timestamp?: number; signature?: string; headers?: Record<string, string> }): Promise<{ status: number; body: string; json: () => unknown }>;
  command(command: string, text: string, opts?: Partial<CommandFields>): Promise<{ status: number; body: string; json: () => unknown }>;
  interaction(payload: Record<string, unknown>): Promise<{ status: number; body: string; json: () => unknown }>;
}

export interface CommandFields {
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  response_url: string;
  trigger_id: string;
}

let triggerCounter = 0;
export function newTriggerId(): string {
  triggerCounter += 1;
  return `${Date.now()}.${triggerCounter}.${Math.random().toString(16).slice(2, 10)}`;
}

/**
 * Slack shows a message carried by a slash command's acknowledgement exactly like one posted to
 * its response_url; the sender hands it to the fake's respond endpoint so a test reads both the
 * same way (`fake.responsesTo(id)`), as a user would see them.
 */
async function showAckMessage(res: { status: number; body: string }, responseUrl: string): Promise<void> {
  if (res.status !== 200 || res.body.trim() === '' || !responseUrl.includes('/respond/')) return;
  let message: unknown;
  try {
    message = JSON.parse(res.body);
  } catch {
    return;
  }
  if (typeof message !== 'object' || message === null || !('text' in message || 'blocks' in message)) return;
  await fetch(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: res.body }).catch(() => undefined);
}

/** `clock`: Slack's time when it signs; the harness passes the app's injected clock. */
export function slackSender(appUrl: string, signingSecret: string, defaults: Partial<CommandFields> = {}, clock: () => Date = () => new Date()): SlackSender {
  const post: SlackSender['post'] = async (rawBody, opts = {}) => {
    const ts = opts.timestamp ?? Math.floor(clock().getTime() / 1000);
    const res = await fetch(`${appUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': opts.contentType ?? 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': opts.signature ?? signSlackRequest(signingSecret, ts, rawBody),
        ...(opts.headers ?? {}),
      },
      body: rawBody,
    });
    const body = await res.text();
    return { status: res.status, body, json: () => JSON.parse(body) as unknown };
  };
  return {
    post,
    command: (command, text, opts = {}) => {
      const fields: Record<string, string> = {
        token: 'legacy-verification-token',
        team_id: 'T0FAKE',
        team_domain: 'fake',
        channel_id: 'C0SALES',
        channel_name: 'sales',
        user_id: 'U0REP',
        user_name: 'rep',
        command,
        text,
        api_app_id: 'A0KPI',
        response_url: 'http://127.0.0.1:1/respond/unset',
        trigger_id: newTriggerId(),
        ...defaults,
        ...opts,
      };
      return post(new URLSearchParams(fields).toString()).then(async (res) => {
        await showAckMessage(res, fields.response_url ?? '');
        return res;
      });
    },
    interaction: (payload) => post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString()),
  };
}

/** `view_submission` payload as Slack sends it for a modal built by the app. */
export function viewSubmissionPayload(opts: {
  teamId?: string;
  userId: string;
  viewId: string;
  callbackId: string;
  privateMetadata?: string;
  values: Record<string, Record<string, Record<string, unknown>>>;
}): Record<string, unknown> {
  const teamId = opts.teamId ?? 'T0FAKE';
  return {
    type: 'view_submission',
    team: { id: teamId, domain: 'fake' },
    user: { id: opts.userId, username: opts.userId.toLowerCase(), name: opts.userId.toLowerCase(), team_id: teamId },
    api_app_id: 'A0KPI',
    token: 'legacy',
    trigger_id: newTriggerId(),
    view: {
      id: opts.viewId,
      team_id: teamId,
      type: 'modal',
      callback_id: opts.callbackId,
      private_metadata: opts.privateMetadata ?? '',
      state: { values: opts.values },
      hash: 'h1',
      blocks: [],
      title: { type: 'plain_text', text: 'Log a deal' },
      app_id: 'A0KPI',
      bot_id: 'BBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
  };
}

export function blockActionPayload(opts: { teamId?: string; userId: string; channelId: string; actionId: string; value: string; responseUrl: string; blockId?: string }): Record<string, unknown> {
  const teamId = opts.teamId ?? 'T0FAKE';
  return {
    type: 'block_actions',
    team: { id: teamId, domain: 'fake' },
    user: { id: opts.userId, username: opts.userId.toLowerCase(), name: opts.userId.toLowerCase(), team_id: teamId },
    api_app_id: 'A0KPI',
    token: 'legacy',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: opts.channelId, is_ephemeral: true },
    trigger_id: newTriggerId(),
    channel: { id: opts.channelId, name: 'sales' },
    response_url: opts.responseUrl,
    actions: [{ action_id: opts.actionId, block_id: opts.blockId ?? 'b1', value: opts.value, type: 'button', action_ts: `${Date.now() / 1000}`, text: { type: 'plain_text', text: 'x' } }],
    is_enterprise_install: false,
  };
}

export function messageActionPayload(opts: { teamId?: string; userId: string; channelId: string; callbackId: string; text: string; ts: string; responseUrl: string }): Record<string, unknown> {
  const teamId = opts.teamId ?? 'T0FAKE';
  return {
    type: 'message_action',
    callback_id: opts.callbackId,
    trigger_id: newTriggerId(),
    team: { id: teamId, domain: 'fake' },
    user: { id: opts.userId, username: opts.userId.toLowerCase(), name: opts.userId.toLowerCase(), team_id: teamId },
    channel: { id: opts.channelId, name: 'sales' },
    message: { type: 'message', text: opts.text, ts: opts.ts, user: 'U0OTHER' },
    message_ts: opts.ts,
    response_url: opts.responseUrl,
    action_ts: `${Date.now() / 1000}`,
    token: 'legacy',
    is_enterprise_install: false,
  };
}

/** State values of the deal modal, as Slack would send them after the user filled it in. */
export function dealModalValues(v: { customer?: string; amount?: string; currency?: string; type?: string; status?: string; closeDate?: string | null; owner?: string; recurring?: string; discount?: string; notes?: string; private?: boolean }): Record<string, Record<string, Record<string, unknown>>> {
  const opt = (value: string | undefined) => (value ? { value, text: { type: 'plain_text', text: value } } : null);
  return {
    customer: { value: { type: 'plain_text_input', value: v.customer ?? null } },
    amount: { value: { type: 'plain_text_input', value: v.amount ?? null } },
    currency: { value: { type: 'static_select', selected_option: opt(v.currency ?? 'USD') } },
    type: { value: { type: 'static_select', selected_option: opt(v.type ?? 'new') } },
    status: { value: { type: 'static_select', selected_option: opt(v.status ?? 'won') } },
    close_date: { value: { type: 'datepicker', selected_date: v.closeDate ?? null } },
    owner: { value: { type: 'users_select', selected_user: v.owner ?? null } },
    recurring: { value: { type: 'plain_text_input', value: v.recurring ?? null } },
    discount: { value: { type: 'plain_text_input', value: v.discount ?? null } },
    notes: { value: { type: 'plain_text_input', value: v.notes ?? null } },
    options: { value: { type: 'checkboxes', selected_options: v.private ? [{ value: 'private', text: { type: 'plain_text', text: 'private' } }] : [] } },
  };
}

/** State values of the quota modal, as Slack would send them. */
export function quotaModalValues(v: { rep?: string | null; team?: string | null; amount?: string | null; currency?: string; kind?: string; which?: string; specific?: string | null }): Record<string, Record<string, Record<string, unknown>>> {
  const opt = (value: string | null | undefined) => (value ? { value, text: { type: 'plain_text', text: value } } : null);
  return {
    rep: { value: { type: 'users_select', selected_user: v.rep ?? null } },
    team: { value: { type: 'static_select', selected_option: opt(v.team) } },
    amount: { value: { type: 'plain_text_input', value: v.amount ?? null } },
    currency: { value: { type: 'static_select', selected_option: opt(v.currency ?? 'USD') } },
    period_kind: { value: { type: 'static_select', selected_option: opt(v.kind ?? 'month') } },
    period_which: { value: { type: 'radio_buttons', selected_option: opt(v.which ?? 'this') } },
    period_specific: { value: { type: 'plain_text_input', value: v.specific ?? null } },
  };
}
