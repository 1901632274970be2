import type { SlackBlocks, SlackMessage } from '../gateway.js';

/**
 * Renders a Slack message as plain text, the way a person reads it in Slack: the header, sections
 * (text, then fields, then an accessory button), context lines joined with ` · `, image blocks as
 * `[chart: <alt text>] <url>`, buttons as `[Share in channel]`, dividers as a rule. Mrkdwn is read,
 * not shown: `*bold*` → `bold`, `<@U1|dana>` → `@dana`, `<https://x|label>` → `label (https://x)`,
 * `&lt;` → `<`, and common emoji codes become their characters. Without blocks, the `text`.
 * Used by the CLI demo and tests; pure.
 *
 * @example
 * renderMessageAsText({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Win rate' } },
 *   { type: 'section', text: { type: 'mrkdwn', text: '*37.5%* — 15 won / 40 closed' } }] });
 * // 'Win rate\n37.5% — 15 won / 40 closed'
 */
export function renderMessageAsText(message: SlackMessage): string {
  const blocks = message.blocks ?? [];
  if (blocks.length === 0) return mrkdwnToText(message.text);
  const out: string[] = [];
  for (const block of blocks) {
    const line = renderBlock(block as unknown as TLooseBlock);
    if (line !== null) out.push(line);
  }
  return out.join('\n');
}

interface TLooseText {
  type?: string;
  text?: string;
}

interface TLooseElement {
  type?: string;
  text?: TLooseText | string;
  alt_text?: string;
  image_url?: string;
  placeholder?: TLooseText;
  url?: string;
  initial_option?: { text?: TLooseText };
}

interface TLooseBlock {
  type?: string;
  text?: TLooseText;
  fields?: TLooseText[];
  accessory?: TLooseElement;
  elements?: TLooseElement[];
  image_url?: string;
  alt_text?: string;
  title?: TLooseText;
  label?: TLooseText;
}

const EMOJI: Readonly<Record<string, string>> = {
  warning: '⚠️',
  white_check_mark: '✅',
  tada: '🎉',
  mag: '🔍',
  calendar: '📅',
  rotating_light: '🚨',
  information_source: 'ℹ️',
  small_red_triangle_down: '🔻',
  first_place_medal: '🥇',
  second_place_medal: '🥈',
  third_place_medal: '🥉',
  chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉',
  bar_chart: '📊',
  thinking_face: '🤔',
  gear: '⚙️',
  bust_in_silhouette: '👤',
  currency_exchange: '💱',
  leftwards_arrow_with_hook: '↩️',
  moneybag: '💰',
  dart: '🎯',
};

function textOf(t: TLooseText | string | undefined): string {
  if (t === undefined) return '';
  if (typeof t === 'string') return t;
  const raw = t.text ?? '';
  return t.type === 'plain_text' ? raw : mrkdwnToText(raw);
}

/**
 * Slack mrkdwn as it reads on screen.
 *
 * @example
 * mrkdwnToText('*Win rate* for <@U1|dana> &amp; <#C1|sales> :tada:'); // 'Win rate for @dana & #sales 🎉'
 */
export function mrkdwnToText(mrkdwn: string): string {
  return mrkdwn
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `@${name || id}`)
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name || id}`)
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, name?: string) => name || '@group')
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?—–-])/g, '$1$2')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?—–-])/g, '$1$2')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?—–-])/g, '$1$2')
    .replace(/```([\s\S]*?)```/g, '$1')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/:([a-z0-9_+-]+):/g, (m, code: string) => EMOJI[code] ?? m)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function renderElement(el: TLooseElement): string {
  switch (el.type) {
    case 'button':
      return `[${textOf(el.text)}]`;
    case 'image':
      return `[image: ${el.alt_text ?? ''}]`;
    case 'overflow':
      return '[…]';
    case 'datepicker':
    case 'static_select':
    case 'external_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select':
      return `[${textOf(el.initial_option?.text) || textOf(el.placeholder) || 'select'} ▾]`;
    default:
      return typeof el.text === 'string' || el.text?.text !== undefined ? textOf(el.text) : `[${el.type ?? 'element'}]`;
  }
}

function renderBlock(b: TLooseBlock): string | null {
  switch (b.type) {
    case 'header':
      return textOf(b.text);
    case 'section': {
      const parts: string[] = [];
      if (b.text) parts.push(textOf(b.text));
      if (b.fields?.length) parts.push(b.fields.map((f) => textOf(f)).join('\n'));
      if (b.accessory) parts.push(renderElement(b.accessory));
      return parts.join('\n');
    }
    case 'context':
      return (b.elements ?? []).map((e) => (e.type === 'image' ? `[${e.alt_text ?? 'image'}]` : textOf(e as TLooseText))).join(' · ');
    case 'divider':
      return '────────';
    case 'image': {
      const title = b.title ? textOf(b.title) : '';
      return `[chart: ${b.alt_text ?? title}] ${b.image_url ?? ''}`.trimEnd();
    }
    case 'actions':
      return (b.elements ?? []).map(renderElement).join(' ');
    case 'markdown':
      return mrkdwnToText(typeof b.text === 'string' ? b.text : ((b as { text?: string }).text ?? ''));
    case 'input':
      return `${textOf(b.label)}: ${(b as { element?: TLooseElement }).element ? renderElement((b as { element: TLooseElement }).element) : ''}`;
    default:
      return null;
  }
}

/** Blocks only (no fallback). */
export function renderBlocksAsText(blocks: SlackBlocks): string {
  return renderMessageAsText({ text: '', blocks });
}
