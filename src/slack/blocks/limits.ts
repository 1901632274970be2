import type { KnownBlock, Block, View } from '@slack/types';
import { cleanText, LIMITS } from '../../shared/block-kit-limits.js';

export { cleanText, LIMITS, truncate } from '../../shared/block-kit-limits.js';

/**
 * THE way any text that is not the app's own markup gets into mrkdwn or a message's top-level
 * `text` (which Slack also reads as mrkdwn): `cleanText`, then Slack's documented escaping of its
 * three control characters, `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`. Nothing typed can then
 * become a mention (`<!channel>`, `<@U…>`, `<#C…>`, `<!subteam^…>`), a link or a `<!date^…>`
 * token. Stored text is unescaped (as typed); call this exactly once, when showing it. `*`, `_`,
 * `~` and backticks are left as typed: mrkdwn has no escape for them and invisible separators
 * would break copying a name back into a command; at worst they style the name.
 *
 * @example escapeMrkdwn('<!channel> & Co') // '&lt;!channel&gt; &amp; Co'
 */
export function escapeMrkdwn(text: string): string {
  return cleanText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

type AnyBlock = KnownBlock | Block;

/**
 * Lists every Block Kit limit a message or view breaks (empty when valid). Used by tests on the
 * largest realistic data and as a last guard before sending.
 */
export function findLimitViolations(blocks: readonly AnyBlock[], opts: { maxBlocks?: number } = {}): string[] {
  const problems: string[] = [];
  const maxBlocks = opts.maxBlocks ?? LIMITS.messageBlocks;
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
  blocks.forEach((raw, i) => {
    const b = raw as unknown as Record<string, unknown>;
    const where = `block ${i} (${String(b.type)})`;
    if (typeof b.block_id === 'string' && b.block_id.length > LIMITS.blockId) problems.push(`${where}: block_id too long`);
    const text = b.text as { text?: string } | undefined;
    if (b.type === 'section') {
      if (text?.text !== undefined && text.text.length > LIMITS.sectionText) problems.push(`${where}: text ${text.text.length} > ${LIMITS.sectionText}`);
      if (text?.text !== undefined && text.text.length === 0) problems.push(`${where}: empty text`);
      const fields = b.fields as Array<{ text: string }> | undefined;
      if (fields) {
        if (fields.length > LIMITS.sectionFields) problems.push(`${where}: ${fields.length} fields`);
        fields.forEach((f) => f.text.length > LIMITS.fieldText && problems.push(`${where}: field too long`));
      }
      if (!text && !fields) problems.push(`${where}: section needs text or fields`);
    }
    if (b.type === 'header' && text?.text !== undefined && text.text.length > LIMITS.headerText) problems.push(`${where}: header ${text.text.length} > ${LIMITS.headerText}`);
    if (b.type === 'context') {
      const els = (b.elements as unknown[]) ?? [];
      if (els.length > LIMITS.contextElements) problems.push(`${where}: ${els.length} context elements`);
      if (els.length === 0) problems.push(`${where}: empty context`);
    }
    if (b.type === 'actions') {
      const els = (b.elements as Array<Record<string, unknown>>) ?? [];
      if (els.length > LIMITS.actionsElements) problems.push(`${where}: ${els.length} action elements`);
      for (const el of els) {
        const t = (el.text as { text?: string } | undefined)?.text;
        if (t && t.length > LIMITS.buttonText) problems.push(`${where}: button text too long`);
        if (typeof el.value === 'string' && el.value.length > LIMITS.buttonValue) problems.push(`${where}: button value too long`);
        if (typeof el.action_id === 'string' && el.action_id.length > LIMITS.actionId) problems.push(`${where}: action_id too long`);
      }
    }
    if (b.type === 'image') {
      if (typeof b.image_url === 'string' && b.image_url.length > LIMITS.imageUrl) problems.push(`${where}: image_url ${b.image_url.length} > ${LIMITS.imageUrl}`);
      if (typeof b.alt_text === 'string' && b.alt_text.length > LIMITS.altText) problems.push(`${where}: alt_text too long`);
    }
  });
  return problems;
}

export function findViewViolations(view: View): string[] {
  const problems = findLimitViolations(view.blocks, { maxBlocks: LIMITS.viewBlocks });
  const title = (view as { title?: { text: string } }).title?.text;
  if (title && title.length > LIMITS.viewTitle) problems.push(`title ${title.length} > ${LIMITS.viewTitle}`);
  const meta = (view as { private_metadata?: string }).private_metadata;
  if (meta && meta.length > LIMITS.privateMetadata) problems.push('private_metadata too long');
  return problems;
}
