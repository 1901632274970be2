import { expect } from 'vitest';
import { renderMessageAsText } from '../../src/slack/blocks/render-text.js';
import type { SlackBlocks } from '../../src/slack/gateway.js';
import type { Harness } from './app-harness.js';
import { dealModalValues, viewSubmissionPayload } from './slack-requests.js';
import { rawText } from './slack-text.js';

/**
 * The three readers of the language tests and what they are shown: Alice reads English (the
 * installer's admin), Lan Vietnamese, Wei Chinese, each with their Slack locale and time zone.
 */
export const ALICE = 'U0ALICE';
export const LAN = 'U0LAN';
export const WEI = 'U0WEI';

/** An answer as the reader sees it (`shown`: rendered text) and its raw mrkdwn (`raw`). */
export interface TShownAnswer {
  shown: string;
  raw: string;
  message: { text: string; blocks?: SlackBlocks };
}

/** Adds Alice (en-US, UTC), Lan (vi-VN, Ho Chi Minh) and Wei (zh-CN, Shanghai) to the fake Slack. */
export function addLanguageTeam(h: Harness): void {
  h.fake.addUser({ id: ALICE, name: 'alice', real_name: 'Alice Admin', tz: 'UTC', locale: 'en-US' });
  h.fake.addUser({ id: LAN, name: 'lan', real_name: 'Lan Nguyen', tz: 'Asia/Ho_Chi_Minh', locale: 'vi-VN' });
  h.fake.addUser({ id: WEI, name: 'wei', real_name: 'Wei Zhang', tz: 'Asia/Shanghai', locale: 'zh-CN' });
}

/**
 * A slash command through a signed request, answered on its own response URL: what the reader was
 * shown. `team` unset: the harness's team.
 *
 * @example
 * const ask = commandAnswers(h, { team: 'T0AMOUNT', prefix: 'amount' });
 * const a = await ask('/deal', 'won 1.200 USD Lotus', LAN);
 */
export function commandAnswers(h: Harness, opts: { team?: string; prefix: string }) {
  let seq = 0;
  return async (command: '/deal' | '/kpi', text: string, user: string): Promise<TShownAnswer> => {
    const id = `${opts.prefix}${++seq}`;
    const res = await h.slack.command(command, text, { user_id: user, ...(opts.team ? { team_id: opts.team, channel_id: 'C0SALES' } : {}), response_url: h.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    const [first] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    const message = first as unknown as { text: string; blocks?: SlackBlocks };
    return { shown: renderMessageAsText({ text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) }), raw: rawText(message), message };
  };
}

/**
 * Submits the deal form through a signed request; its field errors (none: null).
 *
 * @example
 * const submit = dealFormSubmitter(h, { team: 'T0REFUSE', prefix: 'VREF' });
 * expect(await submit(LAN, { customer: 'Acme', amount: '1,200' })).toMatchObject({ amount: expect.any(String) });
 */
export function dealFormSubmitter(h: Harness, opts: { team: string; prefix: string }) {
  let seq = 0;
  return async (user: string, v: Parameters<typeof dealModalValues>[0]): Promise<Record<string, string> | null> => {
    const payload = viewSubmissionPayload({ teamId: opts.team, userId: user, viewId: `${opts.prefix}${++seq}`, callbackId: 'deal_modal', privateMetadata: h.seal('deal-modal', JSON.stringify({ channelId: 'C0SALES' }), { teamId: opts.team, userId: user }), values: dealModalValues(v) });
    const res = await h.slack.interaction(payload);
    expect(res.status).toBe(200);
    const body = res.body ? (JSON.parse(res.body) as { response_action?: string; errors?: Record<string, string> }) : null;
    return body?.errors ?? null;
  };
}
