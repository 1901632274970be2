import { stageLabel } from '../../domain/deals/stages.js';
import type { TLocale } from '../../i18n/locales.js';
import { CATALOGS, t, type TMessageKey } from '../../i18n/t.js';

/**
 * A funnel stage's name in a language: the built-in stages from the catalog, a workspace's own
 * stage names as written (they are names).
 *
 * @example
 * localStageLabel('demo', 'vi'); // 'Trình diễn/Dùng thử'
 * localStageLabel('pilot', 'zh-CN'); // 'Pilot'
 */
export function localStageLabel(key: string, locale: TLocale = 'en'): string {
  const id = `stage.${key}`;
  return id in CATALOGS.en ? t(locale, id as TMessageKey) : stageLabel(key);
}

/**
 * Stages listed in a refusal for a reader of another language: each built-in stage by its name with
 * the word to type after it in code (`/deal stage` and `/kpi crm stage` read the key), a workspace's
 * own stage by its name; English keeps its labels.
 *
 * @example
 * stageListL(['lead', 'demo'], 'vi', ' → '); // 'Khách hàng tiềm năng (`lead`) → Trình diễn/Dùng thử (`demo`)'
 * stageListL(['lead'], 'zh-CN', ' → '); // '线索（`lead`）'
 * stageListL(['lead', 'pilot'], 'en', ', '); // 'Lead, Pilot'
 * stageListL(['demo'], 'zh-CN', ', ', false); // '演示/试用'
 */
export function stageListL(keys: readonly string[], locale: TLocale, separator: string, typed = true): string {
  const name = (key: string) => {
    const label = localStageLabel(key, locale);
    if (!typed || locale === 'en' || !(`stage.${key}` in CATALOGS.en)) return label;
    return locale === 'zh-CN' ? `${label}（\`${key}\`）` : `${label} (\`${key}\`)`;
  };
  return keys.map(name).join(separator);
}
