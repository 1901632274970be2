import { describe, expect, test } from 'vitest';
import { LIMITS } from '../../src/shared/block-kit-limits.js';
import { LOCALES } from '../../src/i18n/locales.js';
import { t, type TMessageKey } from '../../src/i18n/t.js';
import { buildDealModal } from '../../src/slack/blocks/deal-modal.js';
import { buildDealConfirmation, buildWonAnnouncement, describeDeal } from '../../src/slack/blocks/deal-messages.js';
import { buildErrorMessage } from '../../src/slack/blocks/messages.js';
import { AppError } from '../../src/errors.js';
import { parseDealCommand } from '../../src/domain/deals/parse-deal-command.js';
import type { Deal } from '../../src/storage/models.js';

/**
 * The `/deal` keys (issue #12) inside the tighter limits of the fields they are shown in, which
 * the shared catalog check counts as section text: a modal's title and buttons (24), options and
 * buttons (75), placeholders (150). Plus the builders in each language.
 */

const TIGHT: ReadonlyArray<readonly [TMessageKey, number]> = [
  ['deal.modal.title', LIMITS.viewTitle],
  ['deal.modal.submit', LIMITS.viewTitle],
  ['deal.modal.cancel', LIMITS.viewTitle],
  ['deal.undo', LIMITS.buttonText],
  ['deal.modal.refund', LIMITS.buttonText],
  ['deal.modal.typeNew', LIMITS.optionText],
  ['deal.modal.typeUpsell', LIMITS.optionText],
  ['deal.modal.typeRenewal', LIMITS.optionText],
  ['deal.modal.statusWon', LIMITS.optionText],
  ['deal.modal.statusLost', LIMITS.optionText],
  ['deal.modal.private', LIMITS.optionText],
  ['deal.modal.amountPlaceholder', LIMITS.inputPlaceholder],
  ['deal.modal.recurringPlaceholder', LIMITS.inputPlaceholder],
];

const deal = (over: Partial<Deal> = {}): Deal =>
  ({ id: 7, workspaceId: 1, ownerId: 1, customer: 'Acme', amountMinor: 641_700_000n, currency: 'VND', type: 'new', status: 'won', stage: 'won', lostReason: null, closedAt: new Date('2026-11-20T12:00:00Z'), createdAt: new Date('2026-11-01T09:00:00Z'), ...over }) as Deal;

describe('/deal catalog', () => {
  test.each(LOCALES)('%s: tight fields stay inside their limits', (locale) => {
    const over = TIGHT.filter(([key, max]) => t(locale, key).length > max).map(([key]) => key);
    expect(over).toEqual([]);
  });

  test.each(LOCALES)('%s: every status option of the modal fits (the longest built-in stage name)', (locale) => {
    const view = buildDealModal({ stages: ['lead', 'contacted', 'demo', 'proposal'], currencies: ['VND', 'USD'], defaultCurrency: 'VND', userId: 'U1', today: '2026-11-20', meta: { channelId: null }, seal: (s) => s, locale });
    expect((view as { title: { text: string } }).title.text.length).toBeLessThanOrEqual(LIMITS.viewTitle);
    const status = view.blocks.find((b) => b.block_id === 'status') as { element: { options: Array<{ text: { text: string } }> } };
    // Truncation would cut a word: the untruncated label must fit already.
    for (const o of status.element.options) expect(o.text.text.endsWith('…')).toBe(false);
  });

  test('English lines are the app’s previous wording', () => {
    expect(describeDeal(deal())).toBe('Acme: 641,700,000 ₫ won (new business)');
    expect(describeDeal(deal({ status: 'lost', stage: 'lost', lostReason: 'price' }))).toBe('Acme: lost (price), 641,700,000 ₫');
    expect(buildWonAnnouncement(deal(), { slackUserId: 'U1', name: 'Lan' }).text).toBe('Lan won Acme: 641,700,000 ₫ (new business)');
    const c = buildDealConfirmation({ deal: deal(), owner: { slackUserId: 'U1', name: 'Lan' }, verb: 'won', timeZone: 'UTC', undoValue: 'x' });
    expect(c.text).toBe('Won: Acme: 641,700,000 ₫ won (new business)');
  });

  test('a lost deal in Vietnamese and Chinese names its reason and stage words', () => {
    expect(describeDeal(deal({ status: 'lost', stage: 'lost', lostReason: 'giá' }), 'vi')).toBe('Acme: thua (giá), 641.700.000 ₫');
    expect(describeDeal(deal({ status: 'open', stage: 'demo', amountMinor: 0n }), 'zh-CN')).toBe('Acme：演示/试用，暂无金额');
    expect(buildDealConfirmation({ deal: deal({ status: 'lost', stage: 'lost' }), owner: { slackUserId: 'U1', name: 'Lan' }, verb: 'lostCreated', timeZone: 'UTC', undoValue: 'x', locale: 'vi' }).text).toContain('Không có đơn đang mở của Acme');
  });

  test('an error with a catalog key is translated; one without keeps its English message; unknown errors apologise', () => {
    const refused = (() => {
      try {
        parseDealCommand('stage Acme', 'VND');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(buildErrorMessage(refused, 'vi').text).toContain('Hãy ghi tên khách hàng và giai đoạn.');
    expect(buildErrorMessage(refused, 'zh-CN').text).toContain('示例：`/deal stage');
    expect(buildErrorMessage(refused).text).toContain('Say the customer and the stage.\nExample: `/deal stage');
    expect(buildErrorMessage(new AppError('CONFLICT', 'Plain English.'), 'vi').text).toBe('Plain English.');
    expect(buildErrorMessage(new Error('secret internals'), 'zh-CN').text).toBe('系统出错，未做任何更改。请稍后重试。');
  });
});
