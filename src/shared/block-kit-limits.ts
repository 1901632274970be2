// Block Kit limits and the plain-text cleaning every surface shares: Slack blocks and the chart
// images embedded in them. A leaf (no imports), so charts/ need not import the Slack layer.

/** Slack Block Kit limits (../shared/slack/BLOCK_KIT_LIMITS.md); builders stay inside them. */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  imageUrl: 3000,
  altText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 75,
  staticOptions: 100,
  viewTitle: 24,
  privateMetadata: 3000,
  blockId: 255,
  actionId: 255,
  inputPlaceholder: 150,
  messageText: 40000,
} as const;

/** Cuts text to `max` characters, ending with an ellipsis when it had to cut. @example truncate('abcdef', 4) // 'abc…' */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - 1)) + '…';
}

// Bidirectional embeddings/overrides/isolates (U+202A–U+202E, U+2066–U+2069) can make a name
// display as something else; C0/C1 control characters (but the line break) have no business on screen.
const UNSAFE_CHARS = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Text safe to show in a `plain_text` object (headers, image titles, alt text, options, modal
 * prefill): Slack parses no markup there, so only bidi and control characters go (a tab becomes a
 * space, `\r\n` a line break).
 *
 * @example cleanText('Acme\u202Eevil\tCo') // 'Acmeevil Co'
 */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(UNSAFE_CHARS, '');
}
