/**
 * Finds Slack markup that would be live in a message or view built from hostile user text. Test
 * ids contain `EVIL` (`<@UEVIL01>`, `<#CEVIL01>`), so the app's own mentions can be told apart.
 */

/** Bidi overrides/isolates and control characters (but the line break). */
export const BIDI_OR_CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/**
 * Every string Slack reads as mrkdwn (the top-level `text`, mrkdwn text objects) and every plain
 * one (plain_text objects, alt text, input values) in a message, view or response body.
 */
export function collectTexts(surface: unknown): { mrkdwn: string[]; plain: string[] } {
  const mrkdwn: string[] = [];
  const plain: string[] = [];
  const o = (surface ?? {}) as Record<string, unknown>;
  if (typeof o.text === 'string') mrkdwn.push(o.text);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if ((n.type === 'mrkdwn' || n.type === 'plain_text') && typeof n.text === 'string') {
      (n.type === 'mrkdwn' ? mrkdwn : plain).push(n.text);
      return;
    }
    for (const key of ['alt_text', 'initial_value', 'value']) if (typeof n[key] === 'string') plain.push(n[key] as string);
    for (const [key, v] of Object.entries(n)) if (key !== 'image_url') walk(v);
  };
  walk(o.blocks);
  walk(o.title);
  return { mrkdwn, plain };
}

/**
 * What in one mrkdwn string would be parsed by Slack: any `<` or `>` left once the app's own
 * `<@U…>` / `<#C…>` mentions (ids without `EVIL`) are taken out. Empty when safe.
 *
 * @example liveMarkup('won by <@U1>: &lt;!channel&gt;') // []
 * @example liveMarkup('won <!channel>') // ['<!channel']
 */
export function liveMarkup(mrkdwn: string): string[] {
  const own = mrkdwn.replace(/<[@#][UWCG](?![A-Z]*EVIL)[A-Z0-9]+>/g, '');
  return [...own.matchAll(/[<>][^<>]{0,20}/g)].map((m) => m[0]);
}
