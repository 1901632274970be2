import type { AlertSetting, Workspace } from '../../storage/models.js';
import type { Db } from '../../storage/db.js';
import { alertSettingRows } from '../../storage/queries/lookups.js';
import { ALERT_RULES, DEFAULT_ALERT_THRESHOLDS, type TAlertRule, type TAlertThreshold } from './rules.js';

/** One rule's effective setting in a workspace. */
export interface TAlertRuleSetting {
  readonly rule: TAlertRule;
  readonly enabled: boolean;
  readonly threshold: TAlertThreshold;
  /** Where the threshold comes from: code default, the Workspace row (band, oversize), or an AlertSetting override. */
  readonly source: 'default' | 'workspace' | 'override';
}

export type TAlertSettings = Readonly<Record<TAlertRule, TAlertRuleSetting>>;

type TWorkspaceThresholds = Pick<Workspace, 'attainmentLowBp' | 'attainmentHighBp' | 'oversizeMultiplePct'>;
type TSettingRow = Pick<AlertSetting, 'rule' | 'threshold' | 'enabled'>;

/**
 * Effective alert settings from the workspace thresholds and the AlertSetting rows (pure):
 * - attainment band: `Workspace.attainmentLowBp/HighBp` (the same band the quota report uses);
 * - oversized deal: `Workspace.oversizeMultiplePct` (the same multiple the deal-size report flags with);
 * - the other rules: the AlertSetting threshold when set, else the code default;
 * - on/off: the AlertSetting row's `enabled` (on without a row).
 * Rows for unknown rules and non-positive thresholds are ignored.
 *
 * @example
 * resolveAlertSettings({ attainmentLowBp: 6000, attainmentHighBp: 9000, oversizeMultiplePct: 400 },
 *   [{ rule: 'winrate-drop', threshold: 15, enabled: true }])['winrate-drop'].threshold; // { kind: 'points', value: 15 }
 */
export function resolveAlertSettings(workspace: TWorkspaceThresholds, rows: readonly TSettingRow[]): TAlertSettings {
  const byRule = new Map(rows.map((r) => [r.rule, r]));
  const out = {} as Record<TAlertRule, TAlertRuleSetting>;
  for (const rule of ALERT_RULES) {
    const row = byRule.get(rule);
    const enabled = row?.enabled ?? true;
    const def = DEFAULT_ALERT_THRESHOLDS[rule];
    let threshold: TAlertThreshold = def;
    let source: TAlertRuleSetting['source'] = 'default';
    if (def.kind === 'band') {
      threshold = { kind: 'band', lowPct: workspace.attainmentLowBp / 100, highPct: workspace.attainmentHighBp / 100 };
      source = 'workspace';
    } else if (def.kind === 'multiple') {
      threshold = { kind: 'multiple', value: workspace.oversizeMultiplePct / 100 };
      source = 'workspace';
    } else if (row?.threshold !== null && row?.threshold !== undefined && Number.isFinite(row.threshold) && row.threshold > 0) {
      threshold = { kind: def.kind, value: row.threshold };
      source = 'override';
    }
    out[rule] = { rule, enabled, threshold, source };
  }
  return out;
}

/**
 * Loads a workspace's effective alert settings.
 *
 * @example
 * const settings = await loadAlertSettings({ db, workspace });
 * settings['revenue-drop'].threshold; // { kind: 'percent', value: 10 }
 */
export async function loadAlertSettings({ db, workspace }: { db: Db; workspace: Workspace }): Promise<TAlertSettings> {
  const rows = await alertSettingRows(db, workspace.id);
  return resolveAlertSettings(workspace, rows);
}
