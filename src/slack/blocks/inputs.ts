import type { KnownBlock, PlainTextOption } from '@slack/types';
import { cleanText, LIMITS, truncate } from './limits.js';

/** Input-block builders shared by the app's modals; each stays inside Slack's limits. */

/** plain_text object cut to `max` characters (input labels and hints allow 2,000). */
export function plainText(text: string, max = 2000): { type: 'plain_text'; text: string } {
  return { type: 'plain_text', text: truncate(cleanText(text), max) };
}

/** A select option with text and value cut to Slack's 75 characters. */
export function option(value: string, text: string): PlainTextOption {
  return { text: { type: 'plain_text', text: truncate(cleanText(text), LIMITS.optionText) }, value: truncate(value, LIMITS.optionValue) };
}

/** A plain_text_input in an input block; `maxLength` also caps the initial value. */
export function textInput(
  blockId: string,
  label: string,
  opts: { initial?: string | undefined; placeholder?: string; optional?: boolean; multiline?: boolean; hint?: string; maxLength?: number } = {},
): KnownBlock {
  // initial_value is plain text, shown and submitted as is: escaping it would store `&lt;`. Only cleaned.
  const cleaned = opts.initial === undefined ? undefined : cleanText(opts.initial);
  const initial = cleaned && opts.maxLength ? truncate(cleaned, opts.maxLength) : cleaned;
  return {
    type: 'input',
    block_id: blockId,
    optional: opts.optional ?? false,
    label: plainText(label),
    ...(opts.hint ? { hint: plainText(opts.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      ...(opts.multiline ? { multiline: true } : {}),
      ...(opts.maxLength ? { max_length: opts.maxLength } : {}),
      ...(initial ? { initial_value: initial } : {}),
      ...(opts.placeholder ? { placeholder: plainText(opts.placeholder, LIMITS.inputPlaceholder) } : {}),
    },
  };
}

/** A static_select in an input block, at most 100 options; the initial one must be among them. */
export function staticSelect(
  blockId: string,
  label: string,
  options: PlainTextOption[],
  initialValue: string | undefined,
  opts: { optional?: boolean; hint?: string; placeholder?: string } = {},
): KnownBlock {
  const capped = options.slice(0, LIMITS.staticOptions);
  const initial = capped.find((o) => o.value === initialValue);
  return {
    type: 'input',
    block_id: blockId,
    optional: opts.optional ?? false,
    label: plainText(label),
    ...(opts.hint ? { hint: plainText(opts.hint) } : {}),
    element: {
      type: 'static_select',
      action_id: 'value',
      options: capped,
      ...(initial ? { initial_option: initial } : {}),
      ...(opts.placeholder ? { placeholder: plainText(opts.placeholder, LIMITS.inputPlaceholder) } : {}),
    },
  };
}
