import { AppError } from '../../errors.js';
import { CATALOGS, t, type TMessageKey } from '../../i18n/t.js';
import { DEFAULT_LOCALE, LOCALES, type TLocale } from '../../i18n/locales.js';
import { aliasKey, withoutVietnameseMarks } from '../command-aliases.js';
import type { TDealType } from './schemas.js';

/**
 * The words people type for deal types and the default stages in each language (issue #12):
 * `/deal won 12tr Acme gia hạn`, `/deal stage Acme báo giá`, `/deal 阶段 Acme 方案报价`. English keeps
 * its words (`upsell`, `renewal`, `trial`, …). Besides the words listed here, every label the app
 * shows for a type or a stage (the catalog's `deal.type.*`, `kpi.revenue.type.*` and `stage.*`, whole
 * and each part around `/` or in brackets: `Trình diễn/Dùng thử`, `Dùng thử`, `gọi`) reads as it.
 *
 * - Vietnamese is read with or without its marks (`gia han`, `bao gia`), and with wrong ones.
 * - A word that could mean two things (`方案`: the solution demo or the quote; `giải pháp` likewise)
 *   is refused with the choices, never guessed; so is an unmarked form shared by two marked words.
 */

type TWords = Readonly<Record<TLocale, readonly string[]>>;

/**
 * Deal types: English first (the stored value). Vietnamese `mới` alone is not one: it ends many a
 * company name (`Thế Giới Mới`), and `new` is the type a deal gets anyway.
 */
export const DEAL_TYPE_WORDS: Readonly<Record<TDealType, TWords>> = {
  new: { en: ['new', 'new-business'], vi: ['khách mới', 'khách hàng mới', 'đơn mới', 'ký mới'], 'zh-CN': ['新业务', '新签', '新客户', '新单'] },
  upsell: { en: ['upsell', 'cross-sell', 'crosssell', 'expansion'], vi: ['bán thêm', 'bán chéo', 'mở rộng'], 'zh-CN': ['追加销售', '增购', '加购', '交叉销售', '追加'] },
  renewal: { en: ['renewal', 'renew'], vi: ['gia hạn', 'tái ký', 'ký lại'], 'zh-CN': ['续签', '续约', '续费'] },
};

/** The default stages and the closing words (read to refuse them: closing has its own verbs). */
export type TStageWord = 'lead' | 'contacted' | 'demo' | 'proposal' | 'won' | 'lost';

/** Stage words beyond the labels; English ones were `STAGE_ALIASES` (stages.ts) and stay there. */
export const STAGE_WORDS: Readonly<Record<TStageWord, TWords>> = {
  lead: { en: [], vi: ['tiềm năng', 'khách tiềm năng', 'khách hàng tiềm năng'], 'zh-CN': ['线索', '潜在客户', '新线索'] },
  contacted: { en: [], vi: ['liên hệ', 'đã liên hệ', 'đã gọi'], 'zh-CN': ['已联系', '联系', '接洽', '初步接洽'] },
  demo: { en: [], vi: ['trình diễn', 'dùng thử', 'giải pháp', 'trình diễn giải pháp'], 'zh-CN': ['演示', '试用', '产品演示', '方案', '方案演示'] },
  proposal: { en: [], vi: ['báo giá', 'đề xuất', 'đàm phán', 'thương lượng', 'giải pháp', 'báo giá giải pháp'], 'zh-CN': ['报价', '方案报价', '方案', '谈判', '商务谈判'] },
  won: { en: [], vi: ['chốt', 'đã chốt', 'chốt đơn', 'thắng'], 'zh-CN': ['赢单', '成交', '签单'] },
  lost: { en: [], vi: ['thua', 'mất đơn', 'rớt đơn'], 'zh-CN': ['输单', '丢单'] },
};

/**
 * How a typed or listed phrase is compared: NFC, lower case, brackets, `/` and spaces as `-`
 * (`Đã liên hệ (gọi)` → `đã-liên-hệ-gọi`, `演示/试用` → `演示-试用`).
 *
 * @example phraseKey('Trình diễn/Dùng thử') // 'trình-diễn-dùng-thử'
 */
export function phraseKey(s: string): string {
  return aliasKey(s.replace(/[()（）/／、，,·]/g, ' '))
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A label and its parts: `Đã liên hệ (gọi)` → itself, `Đã liên hệ`, `gọi`; `A / B` → A, B. */
function labelForms(label: string): string[] {
  const parts = label.split(/[()（）/／]/).map((p) => p.trim()).filter(Boolean);
  return [label, ...parts];
}

export interface TPhraseIndex<T extends string> {
  /** Every phrase (all languages) to what it may mean. */
  readonly marked: ReadonlyMap<string, readonly T[]>;
  /** Vietnamese phrases without their marks to what they may mean. */
  readonly bare: ReadonlyMap<string, readonly T[]>;
}

function add<T extends string>(into: Map<string, T[]>, key: string, value: T): void {
  if (!key) return;
  const had = into.get(key);
  if (!had) into.set(key, [value]);
  else if (!had.includes(value)) had.push(value);
}

/** The index of a word table plus each meaning's catalog labels (`labels(value)`). */
export function phraseIndex<T extends string>(table: Readonly<Record<T, TWords>>, labels: (value: T) => readonly string[]): TPhraseIndex<T> {
  const marked = new Map<string, T[]>();
  const bare = new Map<string, T[]>();
  for (const [value, words] of Object.entries(table) as [T, TWords][]) {
    const phrases = [...LOCALES.flatMap((l) => words[l]), ...labels(value).flatMap(labelForms)];
    for (const p of phrases) {
      add(marked, phraseKey(p), value);
      add(bare, withoutVietnameseMarks(phraseKey(p)), value);
    }
  }
  return { marked, bare };
}

/**
 * What a typed phrase may mean: its exact (marked) meanings, else those of its unmarked form.
 * Empty when it is no word of the table.
 *
 * @example meaningsOf(DEAL_TYPE_INDEX, 'Gia han') // ['renewal']
 */
export function meaningsOf<T extends string>(index: TPhraseIndex<T>, typed: string): readonly T[] {
  const key = phraseKey(typed);
  if (!key) return [];
  return index.marked.get(key) ?? index.bare.get(withoutVietnameseMarks(key)) ?? [];
}

/** The catalog's labels of a key family in every language (`stage.demo` in en, vi, zh-CN). */
function catalogLabels(keys: readonly string[]): string[] {
  return keys.flatMap((key) => (key in CATALOGS.en ? LOCALES.map((l) => CATALOGS[l][key as TMessageKey]) : []));
}

export const DEAL_TYPE_INDEX: TPhraseIndex<TDealType> = phraseIndex(DEAL_TYPE_WORDS, (type) => catalogLabels([`deal.type.${type}`, `kpi.revenue.type.${type}`]));
export const STAGE_WORD_INDEX: TPhraseIndex<TStageWord> = phraseIndex(STAGE_WORDS, (stage) => catalogLabels([`stage.${stage}`]));

/** A deal type's name in a language (`khách hàng mới`, `续签`). */
export function dealTypeName(type: TDealType, locale: TLocale): string {
  return t(locale, `deal.type.${type}`);
}

/** A stage's name in a language: the catalog's for the default stages, else the key as stored. */
export function stageName(key: string, locale: TLocale): string {
  const k = `stage.${key}`;
  return k in CATALOGS.en ? t(locale, k as TMessageKey) : key;
}

/**
 * The refusal of a word with two meanings: the choices in the reader's words (each one reads), and
 * an example with the first of them (`example(choice)`).
 */
function ambiguous(typed: string, choices: readonly string[], locale: TLocale, example: (choice: string) => string): AppError {
  const list = choices.map((c) => `“${c}”`).join(locale === 'zh-CN' ? '、' : ', ');
  const first = choices[0] ?? '';
  return new AppError('INVALID_INPUT', `"${typed}" could mean several things: ${list}. Say which one.`, {
    example: example(first),
    i18n: { key: 'error.words.ambiguous', values: { typed, choices: list }, examples: { [locale]: example(first) } },
  });
}

/**
 * The deal type written at the end of `tokens` (up to 3 words; at least `keep` tokens stay before
 * it), and the tokens before it. A token with a space in it was quoted: a name, never a type. A
 * phrase of two types is refused with the choices.
 *
 * @example takeTrailingDealType(['Acme', 'gia', 'han'], 1) // { type: 'renewal', rest: ['Acme'] }
 * @example takeTrailingDealType(['Acme', 'Corp'], 1) // { type: null, rest: ['Acme', 'Corp'] }
 */
export function takeTrailingDealType(tokens: readonly string[], keep: number, locale: TLocale = DEFAULT_LOCALE): { type: TDealType | null; rest: string[] } {
  for (let n = Math.min(3, tokens.length - keep); n >= 1; n--) {
    const tail = tokens.slice(tokens.length - n);
    if (tail.some((w) => /\s/.test(w))) continue;
    const meanings = meaningsOf(DEAL_TYPE_INDEX, tail.join(' '));
    if (meanings.length === 1) return { type: meanings[0]!, rest: tokens.slice(0, tokens.length - n) };
    if (meanings.length > 1) throw ambiguous(tail.join(' '), meanings.map((m) => dealTypeName(m, locale)), locale, (first) => `/deal won 12k Acme ${first}`);
  }
  // Chinese is written without spaces: `华为续签` is the customer 华为 and the type 续签.
  const last = tokens[tokens.length - 1];
  const glued = tokens.length >= keep && last !== undefined ? gluedHanWord(DEAL_TYPE_INDEX, last) : null;
  if (glued?.meanings.length === 1) return { type: glued.meanings[0]!, rest: [...tokens.slice(0, -1), glued.prefix] };
  if (glued) throw ambiguous(glued.word, glued.meanings.map((m) => dealTypeName(m, locale)), locale, (first) => `/deal won 12k Acme ${first}`);
  return { type: null, rest: [...tokens] };
}

const HAN_ONLY = /^\p{Script=Han}+$/u;

/**
 * A word of the table (Chinese characters only) glued to the end of a Chinese name: `华为续签` →
 * 华为 + 续签, with what the word may mean (two for `方案`: the caller asks). The longest word wins; a token that is itself a word, or whose part
 * before the word would be empty or not end in a Chinese character, is no glued word (null).
 *
 * @example gluedHanWord(DEAL_TYPE_INDEX, '华为续签') // { prefix: '华为', word: '续签', meanings: ['renewal'] }
 * @example gluedHanWord(DEAL_TYPE_INDEX, '续签') // null
 * @example gluedHanWord(DEAL_TYPE_INDEX, 'Acmerenewal') // null
 */
export function gluedHanWord<T extends string>(index: TPhraseIndex<T>, token: string): { prefix: string; word: string; meanings: readonly T[] } | null {
  const chars = [...token.normalize('NFC')];
  if (chars.length < 3 || meaningsOf(index, token).length > 0) return null;
  for (let n = Math.min(6, chars.length - 1); n >= 2; n--) {
    const word = chars.slice(chars.length - n).join('');
    const prefix = chars.slice(0, chars.length - n).join('');
    if (!HAN_ONLY.test(word) || !/\p{Script=Han}$/u.test(prefix)) continue;
    const meanings = index.marked.get(phraseKey(word));
    if (meanings && meanings.length > 0) return { prefix, word, meanings };
  }
  return null;
}

/**
 * The default stage or closing word a typed phrase names among the workspace's stages: null when it
 * is none; `won`/`lost` when it is a closing word; refused with the choices when it could be two of
 * the workspace's stages.
 *
 * @example localStage('bao gia', ['lead','contacted','demo','proposal'], 'vi') // 'proposal'
 * @example localStage('方案', ['lead','proposal'], 'zh-CN') // 'proposal' (the workspace has no demo stage)
 */
export function localStage(typed: string, stages: readonly string[], locale: TLocale = DEFAULT_LOCALE): string | null {
  const meanings = meaningsOf(STAGE_WORD_INDEX, typed);
  const closing = meanings.find((m) => m === 'won' || m === 'lost');
  if (closing && meanings.length === 1) return closing;
  const here = meanings.filter((m) => stages.includes(m));
  if (here.length === 1) return here[0]!;
  if (here.length > 1) throw ambiguous(typed, here.map((m) => stageName(m, locale)), locale, (first) => `/deal stage Acme ${first}`);
  return null;
}

/**
 * The stage words at the end of `tokens` that read as one phrase of the table (up to 5 words, at
 * least `keep` tokens left before them), joined with spaces; else the last token. `/deal stage Acme
 * báo giá` → `báo giá`, `/deal stage Acme Corp demo` → `demo`.
 *
 * @example trailingStagePhrase(['Acme', 'khach', 'hang', 'tiem', 'nang'], 1) // { phrase: 'khach hang tiem nang', rest: ['Acme'] }
 */
export function trailingStagePhrase(tokens: readonly string[], keep: number): { phrase: string; rest: string[] } {
  for (let n = Math.min(5, tokens.length - keep); n >= 2; n--) {
    const tail = tokens.slice(tokens.length - n);
    if (tail.some((w) => /\s/.test(w))) continue;
    if (meaningsOf(STAGE_WORD_INDEX, tail.join(' ')).length > 0) return { phrase: tail.join(' '), rest: tokens.slice(0, tokens.length - n) };
  }
  return { phrase: tokens[tokens.length - 1] ?? '', rest: tokens.slice(0, -1) };
}

/**
 * The words of a language for help: `` `mới`, `bán thêm`, `gia hạn` `` (the first word of each type).
 *
 * @example dealTypeWordList('zh-CN') // '`新业务`、`追加销售`、`续签`'
 */
export function dealTypeWordList(locale: TLocale): string {
  return (Object.values(DEAL_TYPE_WORDS) as TWords[]).map((w) => `\`${w[locale][0] ?? w.en[0]}\``).join(locale === 'zh-CN' ? '、' : ', ');
}
