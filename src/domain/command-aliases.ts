import type { TLocale } from '../i18n/locales.js';
import type { TKpi } from './metrics/kpi-report.js';

/**
 * The one table of command words people type in each language (issue #12): `/kpi` KPI names and
 * `/deal` verbs. English stays the canonical form (what the routers and parsers read); the
 * Vietnamese and Chinese words are aliases for it, and `/kpi help` / `/deal help` list them.
 *
 * - A word of several parts is written with `-` (`tỷ-lệ-chốt`); typed with spaces, `-` or `_`
 *   (`/kpi tỷ lệ chốt tháng này`) it is the same word.
 * - Vietnamese is read with or without diacritics (`ty-le-chot`, `doanh thu`), except where a
 *   word without its marks would name two different things (then only the marked form works).
 * - A Chinese word may be glued to what follows (`/kpi 赢单率本月`, `/deal 赢单12万 Acme`).
 */

type TWords = Readonly<Record<TLocale, readonly string[]>>;

/** `/kpi <word>`: each KPI's names (English first: the subcommand names) and `help`. */
export const KPI_WORDS: Readonly<Record<TKpi | 'help', TWords>> = {
  winrate: { en: ['winrate', 'win-rate', 'win_rate', 'wins'], vi: ['tỷ-lệ-chốt', 'tỉ-lệ-chốt', 'tỷ-lệ-chốt-đơn', 'tỉ-lệ-chốt-đơn', 'tỷ-lệ-thắng', 'tỉ-lệ-thắng'], 'zh-CN': ['赢单率', '赢率'] },
  conversion: { en: ['conversion', 'conv', 'conversion-rate'], vi: ['chuyển-đổi', 'tỷ-lệ-chuyển-đổi', 'tỉ-lệ-chuyển-đổi'], 'zh-CN': ['转化率', '线索转化率', '转化'] },
  quota: { en: ['quota', 'quotas', 'attainment'], vi: ['chỉ-tiêu', 'hoàn-thành-chỉ-tiêu'], 'zh-CN': ['达成率', '业绩达成率', '配额'] },
  dealsize: { en: ['dealsize', 'deal-size', 'deal_size', 'aov'], vi: ['giá-trị-đơn', 'giá-trị-đơn-trung-bình', 'đơn-trung-bình'], 'zh-CN': ['客单价', '平均客单价', '平均交易规模'] },
  revenue: { en: ['revenue', 'rev'], vi: ['doanh-thu', 'doanh-thu-thuần'], 'zh-CN': ['收入', '净收入', '营收'] },
  mrr: { en: ['mrr', 'arr'], vi: ['doanh-thu-định-kỳ'], 'zh-CN': ['经常性收入', '月经常性收入', '每月经常性收入', '年度经常性收入'] },
  funnel: { en: ['funnel', 'pipeline'], vi: ['phễu', 'phễu-bán-hàng'], 'zh-CN': ['漏斗', '销售漏斗'] },
  plan: { en: ['plan', 'reverse-plan'], vi: ['kế-hoạch'], 'zh-CN': ['目标倒推', '倒推'] },
  leaderboard: { en: ['leaderboard', 'top', 'ranking'], vi: ['xếp-hạng', 'bảng-xếp-hạng'], 'zh-CN': ['排行榜', '销售排行榜', '排名'] },
  help: { en: ['help', '?'], vi: ['trợ-giúp', 'hướng-dẫn'], 'zh-CN': ['帮助'] },
};

/** The `/deal` verbs (`modal` = the deal form). */
export type TDealVerb = 'won' | 'lost' | 'stage' | 'lead' | 'refund' | 'churn' | 'mrr' | 'undo' | 'help' | 'modal';

/** `/deal <verb>`: English first (what the parser reads). */
export const DEAL_VERBS: Readonly<Record<TDealVerb, TWords>> = {
  won: { en: ['won', 'win'], vi: ['thắng', 'chốt', 'chốt-đơn'], 'zh-CN': ['赢单', '成交', '签单'] },
  lost: { en: ['lost', 'lose'], vi: ['thua', 'mất-đơn', 'rớt-đơn'], 'zh-CN': ['输单', '丢单'] },
  stage: { en: ['stage', 'move'], vi: ['giai-đoạn', 'chuyển'], 'zh-CN': ['阶段', '推进'] },
  lead: { en: ['lead'], vi: ['tiềm-năng', 'khách-tiềm-năng'], 'zh-CN': ['线索'] },
  refund: { en: ['refund', 'return'], vi: ['hoàn-tiền', 'trả-hàng'], 'zh-CN': ['退款', '退货'] },
  churn: { en: ['churn', 'cancel'], vi: ['rời-bỏ', 'hủy-gói', 'huỷ-gói'], 'zh-CN': ['流失', '退订'] },
  mrr: { en: ['mrr'], vi: [], 'zh-CN': [] },
  undo: { en: ['undo'], vi: ['hoàn-tác'], 'zh-CN': ['撤销'] },
  help: { en: ['help', '?'], vi: ['trợ-giúp', 'hướng-dẫn'], 'zh-CN': ['帮助'] },
  modal: { en: ['new', 'log', 'modal'], vi: ['mới'], 'zh-CN': ['新建', '录入'] },
};

/** How a typed word is compared: NFC, lower case, spaces and `_` as `-`. */
export function aliasKey(word: string): string {
  return word.normalize('NFC').trim().toLowerCase().replace(/[\s_]+/g, '-');
}

/**
 * A Vietnamese word without its marks (`tỷ-lệ-chốt` → `ty-le-chot`, `đơn` → `don`).
 *
 * @example withoutVietnameseMarks('Doanh thu thuần'); // 'Doanh thu thuan'
 */
export function withoutVietnameseMarks(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

const CJK = /[\u3400-\u9fff]/;

export interface TWordIndex<T extends string> {
  /** Exact keys (every language) and the Vietnamese words without marks that stay unambiguous. */
  readonly keys: ReadonlyMap<string, T>;
  /** The Chinese words, longest first (for a word glued to what follows). */
  readonly glued: readonly (readonly [string, T])[];
}

/** The index of a word table; a word listed for two meanings is a programming error. */
export function wordIndex<T extends string>(table: Readonly<Record<T, TWords>>): TWordIndex<T> {
  const keys = new Map<string, T>();
  const entries = Object.entries(table) as [T, TWords][];
  for (const [canonical, words] of entries) {
    for (const w of [...words.en, ...words.vi, ...words['zh-CN']]) {
      const key = aliasKey(w);
      const had = keys.get(key);
      if (had !== undefined && had !== canonical) throw new Error(`command word "${w}" means both ${had} and ${canonical}`);
      keys.set(key, canonical);
    }
  }
  // Unmarked Vietnamese: only when it names one thing and is no other word already.
  const unmarked = new Map<string, T | null>();
  for (const [canonical, words] of entries) {
    for (const w of words.vi) {
      const bare = withoutVietnameseMarks(aliasKey(w));
      if (bare === aliasKey(w)) continue;
      const had = unmarked.get(bare);
      unmarked.set(bare, had === undefined || had === canonical ? canonical : null);
    }
  }
  for (const [bare, canonical] of unmarked) if (canonical !== null && !keys.has(bare)) keys.set(bare, canonical);
  const glued = entries
    .flatMap(([canonical, words]) => words['zh-CN'].map((w) => [aliasKey(w), canonical] as const))
    .sort((a, b) => b[0].length - a[0].length);
  return { keys, glued };
}

/** The command word at the start of `tokens` (up to 5 words) and the tokens after it. */
export interface TWordMatch<T extends string> {
  readonly canonical: T;
  /** How many tokens the word took (a glued Chinese word: 1, its tail is the first of `rest`). */
  readonly words: number;
  readonly rest: readonly string[];
  /** A Chinese word's tail glued to it (`本月` of `赢单率本月`), also the first of `rest`. */
  readonly gluedTail?: string;
}

function lookup<T extends string>(index: TWordIndex<T>, typed: string): T | undefined {
  const key = aliasKey(typed);
  return index.keys.get(key) ?? index.keys.get(withoutVietnameseMarks(key));
}

/**
 * Reads the command word at the start of the tokens: the longest run of words that is one entry
 * of the table, else a Chinese word glued to what follows. Null when the first token is no word of it.
 *
 * @example
 * matchWord(KPI_WORD_INDEX, ['tỷ', 'lệ', 'chốt', 'tháng', 'này']); // { canonical: 'winrate', words: 3, rest: ['tháng', 'này'] }
 * matchWord(KPI_WORD_INDEX, ['赢单率本月']); // { canonical: 'winrate', words: 1, rest: ['本月'] }
 */
export function matchWord<T extends string>(index: TWordIndex<T>, tokens: readonly string[]): TWordMatch<T> | null {
  for (let n = Math.min(5, tokens.length); n >= 1; n--) {
    const canonical = lookup(index, tokens.slice(0, n).join('-'));
    if (canonical !== undefined) return { canonical, words: n, rest: tokens.slice(n) };
  }
  const first = tokens[0]?.normalize('NFC').toLowerCase() ?? '';
  if (CJK.test(first)) {
    const hit = index.glued.find(([w]) => first.startsWith(w));
    if (hit) {
      const tail = first.slice(hit[0].length);
      return { canonical: hit[1], words: 1, rest: tail ? [tail, ...tokens.slice(1)] : tokens.slice(1), gluedTail: tail };
    }
  }
  return null;
}

export const KPI_WORD_INDEX: TWordIndex<TKpi | 'help'> = wordIndex(KPI_WORDS);
export const DEAL_VERB_INDEX: TWordIndex<TDealVerb> = wordIndex(DEAL_VERBS);

/**
 * The `/kpi` tokens with a KPI name or `help` in any language turned into its English name
 * (other subcommands and unknown words unchanged).
 *
 * @example
 * englishKpiTokens(['doanh', 'thu', 'quý', 'trước']); // ['revenue', 'quý', 'trước']
 * englishKpiTokens(['赢单率本月']); // ['winrate', '本月']
 * englishKpiTokens(['settings']); // ['settings']
 */
export function englishKpiTokens(tokens: readonly string[]): string[] {
  const hit = matchWord(KPI_WORD_INDEX, tokens);
  if (!hit) return [...tokens];
  const name = hit.canonical === 'help' ? 'help' : KPI_WORDS[hit.canonical].en[0]!;
  return [name, ...hit.rest];
}

/**
 * The `/deal` text with its verb in any language turned into the English verb, the rest as typed
 * (quotes and spacing kept); unchanged when the first word is no verb of the table.
 *
 * @example
 * englishDealText('thắng 12tr Acme'); // 'won 12tr Acme'
 * englishDealText('chốt đơn 12tr "Acme Corp"'); // 'won 12tr "Acme Corp"'
 * englishDealText('赢单12万 Acme'); // 'won 12万 Acme'
 */
export function englishDealText(text: string): string {
  const head = /^\s*((?:\S+\s+){0,4}\S+)?/.exec(text)?.[1] ?? '';
  const words = head.split(/\s+/).filter(Boolean);
  const hit = matchWord(DEAL_VERB_INDEX, words);
  // No verb, or an English one: the parser reads the text as it always did.
  if (!hit || (hit.words === 1 && hit.gluedTail === undefined && DEAL_VERBS[hit.canonical].en.includes(aliasKey(words[0] ?? '')))) return text;
  const english = hit.canonical === 'modal' ? 'new' : DEAL_VERBS[hit.canonical].en[0]!;
  // Drop the verb's words from the text; a glued Chinese word leaves its tail.
  const after = text.replace(new RegExp(`^\\s*(?:\\S+\\s+){${hit.words - 1}}\\S+`), '');
  return `${english}${hit.gluedTail ? ` ${hit.gluedTail}` : ''}${after}`;
}

/**
 * The words of a language for help: `tỷ-lệ-chốt` → winrate, one line's worth (the first two
 * words of each entry).
 *
 * @example aliasList(KPI_WORDS, 'zh-CN', (k) => k !== 'help'); // '`赢单率` `赢率` → `winrate`, …'
 */
export function aliasList<T extends string>(table: Readonly<Record<T, TWords>>, locale: TLocale, include: (canonical: T) => boolean = () => true): string {
  return (Object.entries(table) as [T, TWords][])
    .filter(([canonical, words]) => include(canonical) && words[locale].length > 0)
    .map(([canonical, words]) => `${words[locale].slice(0, 2).map((w) => `\`${w}\``).join(' ')} → \`${words.en[0]}\``)
    .join(locale === 'zh-CN' ? '；' : ', ');
}
