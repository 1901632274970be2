/**
 * Every `text` of a Slack message or view as sent (mrkdwn, code spans and mentions kept), one per
 * line: what the language tests read as "what the user sees".
 *
 * @example rawText({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Hi*' } }] }) // '*Hi*'
 */
export function rawText(m: unknown): string {
  if (typeof m !== 'object' || m === null) return '';
  if (Array.isArray(m)) return m.map(rawText).filter((s) => s !== '').join('\n');
  return Object.entries(m as Record<string, unknown>)
    .map(([k, v]) => (k === 'text' && typeof v === 'string' ? v : rawText(v)))
    .filter((s) => s !== '')
    .join('\n');
}
