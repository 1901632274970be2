import { AppError } from '../../errors.js';
import type { TLocale } from '../../i18n/locales.js';
import { localStage } from './deal-words.js';

/** Well-known names people type for the default stages. */
const STAGE_ALIASES: Record<string, string> = {
  lead: 'lead',
  leads: 'lead',
  new: 'lead',
  prospect: 'lead',
  prospecting: 'lead',
  contacted: 'contacted',
  contact: 'contacted',
  call: 'contacted',
  called: 'contacted',
  engaging: 'contacted',
  demo: 'demo',
  trial: 'demo',
  'demo/trial': 'demo',
  proposal: 'proposal',
  quote: 'proposal',
  negotiation: 'proposal',
};

/** The workspace's ordered open stages. @example funnelStages('lead,contacted') // ['lead','contacted'] */
export function funnelStages(config: string): string[] {
  const stages = config
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return stages.length > 0 ? stages : ['lead', 'contacted', 'demo', 'proposal'];
}

/** Human label of a stage key. @example stageLabel('demo') // 'Demo/Trial' */
export function stageLabel(key: string): string {
  if (key === 'demo') return 'Demo/Trial';
  if (key === 'contacted') return 'Contacted (call)';
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/**
 * Resolves what a user typed to one of the workspace's stage keys: the key, an English alias, or a
 * default stage's word or label in any language (`báo giá`, `bao gia`, `方案报价`: deal-words.ts).
 * A word that could be two of the workspace's stages is refused with the choices, in `locale`.
 * @example parseStage('Trial', ['lead','contacted','demo','proposal']) // 'demo'
 * @example parseStage('Dùng thử', ['lead','contacted','demo','proposal']) // 'demo'
 */
export function parseStage(input: string, stages: readonly string[], locale?: TLocale): string {
  let wanted = input.trim().toLowerCase();
  // Stage keys and English aliases first (a workspace's own stage wins over a word of the table).
  const english = STAGE_ALIASES[wanted];
  if (wanted !== 'won' && wanted !== 'lost' && !stages.includes(wanted) && !(english !== undefined && stages.includes(english))) {
    wanted = localStage(input, stages, locale) ?? wanted;
  }
  if (wanted === 'won' || wanted === 'lost') {
    throw new AppError('INVALID_INPUT', `To close a deal use \`/deal ${wanted} …\` rather than a stage.`, { example: wanted === 'won' ? '/deal won 12k Acme' : '/deal lost Acme price', i18n: { key: 'error.deal.closeWithVerb', values: { verb: wanted } } });
  }
  const direct = stages.find((s) => s === wanted);
  if (direct) return direct;
  const alias = STAGE_ALIASES[wanted];
  if (alias && stages.includes(alias)) return alias;
  throw new AppError('INVALID_INPUT', `"${input}" is not a stage here. Stages: ${stages.map(stageLabel).join(' → ')}.`, {
    example: `/deal stage Acme ${stages[Math.min(2, stages.length - 1)]}`,
    // The stages as data: a reader of another language sees their names, with the word to type.
    i18n: { key: 'error.deal.unknownStage', values: { typed: input }, stages: { stages: { keys: stages, separator: ' → ', typed: true } } },
  });
}

/** Index of a stage for `Deal.maxStageIndex`; won = stages.length. */
export function stageIndex(stage: string, stages: readonly string[]): number {
  if (stage === 'won') return stages.length;
  const i = stages.indexOf(stage);
  return i < 0 ? 0 : i;
}
