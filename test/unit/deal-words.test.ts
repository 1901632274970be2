import { describe, expect, test } from 'vitest';
import { DEAL_TYPE_INDEX, DEAL_TYPE_WORDS, gluedHanWord, localStage, meaningsOf, phraseIndex, STAGE_WORD_INDEX, STAGE_WORDS, takeTrailingDealType, trailingStagePhrase } from '../../src/domain/deals/deal-words.js';
import { parseDealCommand } from '../../src/domain/deals/parse-deal-command.js';
import { parseStage } from '../../src/domain/deals/stages.js';
import { isAppError } from '../../src/errors.js';
import { LOCALES } from '../../src/i18n/locales.js';
import { t } from '../../src/i18n/t.js';

const STAGES = ['lead', 'contacted', 'demo', 'proposal'];

describe('deal type and stage words (issue #12)', () => {
  test('every deal type word and label means its type only, with and without Vietnamese marks', () => {
    for (const [type, words] of Object.entries(DEAL_TYPE_WORDS)) {
      for (const w of LOCALES.flatMap((l) => words[l])) expect(meaningsOf(DEAL_TYPE_INDEX, w), w).toEqual([type]);
      for (const l of LOCALES) expect(meaningsOf(DEAL_TYPE_INDEX, t(l, `deal.type.${type as 'new'}`))).toEqual([type]);
    }
    expect(meaningsOf(DEAL_TYPE_INDEX, 'GIA HAN')).toEqual(['renewal']);
    expect(meaningsOf(DEAL_TYPE_INDEX, 'bàn thếm')).toEqual(['upsell']); // wrong marks: read without them
    expect(meaningsOf(DEAL_TYPE_INDEX, 'Bán thêm / bán chéo')).toEqual(['upsell']);
    expect(meaningsOf(DEAL_TYPE_INDEX, 'Acme')).toEqual([]);
  });

  test('every stage label the app shows reads back as its stage, in every language', () => {
    for (const stage of ['lead', 'contacted', 'demo', 'proposal', 'won', 'lost'] as const) {
      for (const l of LOCALES) expect(meaningsOf(STAGE_WORD_INDEX, t(l, `stage.${stage}`)), `${l} ${stage}`).toContain(stage);
    }
    for (const l of LOCALES) for (const stage of ["lead", "contacted", "demo", "proposal"] as const) expect(parseStage(t(l, `stage.${stage}`), STAGES)).toBe(stage);
  });

  test('the only words of two stages are the deliberate ones; refused with the choices, unless the workspace has one', () => {
    const twoMeanings = [...new Set(Object.values(STAGE_WORDS).flatMap((w) => LOCALES.flatMap((l) => w[l])))].filter((w) => meaningsOf(STAGE_WORD_INDEX, w).length > 1);
    expect(twoMeanings.sort()).toEqual(['giải pháp', '方案'].sort());
    let refusal: unknown;
    try {
      parseStage('giai phap', STAGES, 'vi');
    } catch (e) {
      refusal = e;
    }
    expect(isAppError(refusal) && refusal.i18n).toEqual({ key: 'error.words.ambiguous', values: { typed: 'giai phap', choices: '“Trình diễn/Dùng thử”, “Báo giá”' }, examples: { vi: '/deal stage Acme Trình diễn/Dùng thử' } });
    expect(localStage('方案', ['lead', 'proposal'], 'zh-CN')).toBe('proposal');
    expect(() => takeTrailingDealType(['Acme', 'x'], 1)).not.toThrow();
  });

  test('an unmarked form shared by two marked words is ambiguous, never guessed', () => {
    const index = phraseIndex({ a: { en: [], vi: ['gọi'], 'zh-CN': [] }, b: { en: [], vi: ['gói'], 'zh-CN': [] } }, () => []);
    expect(meaningsOf(index, 'gọi')).toEqual(['a']);
    expect(meaningsOf(index, 'gói')).toEqual(['b']);
    expect(meaningsOf(index, 'goi')).toEqual(['a', 'b']);
  });

  test('a workspace’s own stage key and the English aliases come first', () => {
    expect(parseStage('demo', STAGES)).toBe('demo');
    expect(parseStage('trial', STAGES)).toBe('demo');
    expect(parseStage('new', STAGES)).toBe('lead');
    expect(parseStage('báo giá', ['qualify', 'báo giá'])).toBe('báo giá');
    expect(() => parseStage('báo giá', ['qualify', 'negotiate'])).toThrow('is not a stage here');
  });

  test('trailing phrases: several words, a quoted token is a name, at least one token stays', () => {
    expect(takeTrailingDealType(['Acme', 'gia', 'han'], 1)).toEqual({ type: 'renewal', rest: ['Acme'] });
    expect(takeTrailingDealType(['Gia Hạn'], 0)).toEqual({ type: null, rest: ['Gia Hạn'] });
    expect(takeTrailingDealType(['gia', 'hạn'], 1)).toEqual({ type: null, rest: ['gia', 'hạn'] });
    expect(takeTrailingDealType(['华为', '续签'], 1)).toEqual({ type: 'renewal', rest: ['华为'] });
    expect(trailingStagePhrase(['Acme', 'Corp', 'demo'], 1)).toEqual({ phrase: 'demo', rest: ['Acme', 'Corp'] });
    expect(trailingStagePhrase(['Acme', 'báo', 'giá'], 1)).toEqual({ phrase: 'báo giá', rest: ['Acme'] });
    expect(trailingStagePhrase(['báo', 'giá'], 1)).toEqual({ phrase: 'giá', rest: ['báo'] });
  });

  test.each([
    // [token, index, glued word or null]
    ['华为续签', 'type', { prefix: '华为', word: '续签', meanings: ['renewal'] }],
    ['小米增购', 'type', { prefix: '小米', word: '增购', meanings: ['upsell'] }],
    ['京东新签', 'type', { prefix: '京东', word: '新签', meanings: ['new'] }],
    ['华为报价', 'stage', { prefix: '华为', word: '报价', meanings: ['proposal'] }],
    ['阿里巴巴方案报价', 'stage', { prefix: '阿里巴巴', word: '方案报价', meanings: ['proposal'] }],
    ['阿里巴巴方案', 'stage', { prefix: '阿里巴巴', word: '方案', meanings: ['demo', 'proposal'] }],
    ['续签', 'type', null], // the word itself
    ['华为科技', 'type', null], // no word at its end
    ['Acmerenewal', 'type', null], // not Chinese
    ['Acme续签', 'type', null], // the name before it is not Chinese: written with a space, if meant
  ] as const)('gluedHanWord(%j) as a %s', (token, kind, expected) => {
    expect(gluedHanWord(kind === 'type' ? DEAL_TYPE_INDEX : STAGE_WORD_INDEX, token)).toEqual(expected);
  });

  test.each([
    ['won 12万 华为续签', { kind: 'won', customer: '华为', type: 'renewal' }],
    ['won 12万 华为科技', { kind: 'won', customer: '华为科技', type: null }],
    ['stage 华为报价', { kind: 'stage', customer: '华为', stage: '报价' }],
    ['stage 华为报价 5万', { kind: 'stage', customer: '华为', stage: '报价', amountMinor: 5_000_000n }],
  ])('Chinese written without spaces: /deal %s', (typed, expected) => {
    expect(parseDealCommand(typed, 'CNY', 'zh-CN')).toMatchObject(expected);
  });
});
