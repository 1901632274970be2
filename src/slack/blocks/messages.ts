import type { KnownBlock } from '@slack/types';
import { isAppError, toUserMessage } from '../../errors.js';
import type { SlackMessage } from '../gateway.js';
import { escapeMrkdwn, LIMITS, truncate } from './limits.js';

/** A section block with text cut to Slack's limit. */
export function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text || ' ', LIMITS.sectionText) } };
}

export function context(...texts: string[]): KnownBlock {
  return { type: 'context', elements: texts.slice(0, LIMITS.contextElements).map((t) => ({ type: 'mrkdwn', text: truncate(t, LIMITS.sectionText) })) };
}

export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true } };
}

/**
 * The private reply for any failure: says what was wrong and, for input mistakes, the right form.
 * Unknown errors get a generic apology with no internals.
 */
export function buildErrorMessage(e: unknown): SlackMessage {
  const text = toUserMessage(e);
  if (!isAppError(e)) return { text, blocks: [section(`:warning: ${escapeMrkdwn(text)}`)] };
  // A repeated delivery is not a failure: the request was carried out, once.
  const icon = e.code === 'ALREADY_DONE' ? ':white_check_mark:' : ':warning:';
  const blocks: KnownBlock[] = [section(`${icon} ${escapeMrkdwn(e.message)}`)];
  if (e.example) blocks.push(context(`Try: \`${escapeMrkdwn(e.example)}\``));
  return { text, blocks };
}

/** Echoes what the user typed so nothing they wrote is lost when a command is refused. */
export function withTypedText(message: SlackMessage, typed: string): SlackMessage {
  if (!typed.trim()) return message;
  return { text: message.text, blocks: [...(message.blocks ?? []), context(`You typed: \`${escapeMrkdwn(truncate(typed, 2800))}\``)] };
}
