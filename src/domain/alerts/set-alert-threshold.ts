import type { Rep, Workspace } from '../../storage/models.js';
import { inTransaction, type Db } from '../../storage/db.js';
import { updateWorkspaceAlertFields, upsertAlertSetting } from '../../storage/queries/alerts.js';
import { writeAudit } from '../deals/write-audit.js';
import { oncePerRequest } from '../once-per-request.js';
import { loadAlertSettings, type TAlertRuleSetting } from './load-alert-settings.js';
import { assertCanManageAlerts } from './permissions.js';
import { ALERT_RULE_INFO, type TAlertRule, type TAlertThreshold } from './rules.js';
import { AppError } from '../../errors.js';

export interface TSetAlertThresholdOptions {
  db: Db;
  actor: Rep;
  workspace: Workspace;
  rule: TAlertRule;
  threshold: TAlertThreshold;
  now: Date;
  /** The Slack delivery (see oncePerRequest): a repeat changes nothing and throws ALREADY_DONE. */
  requestKey?: string | null;
}

/**
 * Sets a rule's threshold (managers and admins), audited. The attainment band and the oversize
 * multiple live on the Workspace row, so the KPI answers (`/kpi quota`, `/kpi dealsize`) and the
 * alerts always use the same values; the other thresholds are AlertSetting overrides.
 *
 * @example
 * await setAlertThreshold({ db, actor, workspace, rule: 'winrate-drop', threshold: { kind: 'points', value: 15 }, now });
 * // { rule: 'winrate-drop', enabled: true, threshold: { kind: 'points', value: 15 }, source: 'override' }
 */
export async function setAlertThreshold(opts: TSetAlertThresholdOptions): Promise<TAlertRuleSetting> {
  const { db, actor, workspace, rule, threshold, now, requestKey } = opts;
  assertCanManageAlerts(actor, 'change alert thresholds');
  const info = ALERT_RULE_INFO[rule];
  if (threshold.kind !== info.thresholdKind) {
    throw new AppError('INVALID_INPUT', `${info.title} takes a threshold in ${info.thresholdKind === 'band' ? 'two percents (low and high)' : info.thresholdKind}.`, {
      example: info.example,
      i18n: { key: 'error.alerts.thresholdKind', values: { title: info.title, kind: info.thresholdKind } },
    });
  }
  const updated = await oncePerRequest({ db, workspaceId: workspace.id, requestKey, now }, async () => {
    const before = (await loadAlertSettings({ db, workspace }))[rule];
    return inTransaction(db, async (tx) => {
      let ws = workspace;
      if (threshold.kind === 'band') {
        ws = await updateWorkspaceAlertFields(tx, workspace.id, { attainmentLowBp: Math.round(threshold.lowPct * 100), attainmentHighBp: Math.round(threshold.highPct * 100) }, now);
      } else if (threshold.kind === 'multiple') {
        ws = await updateWorkspaceAlertFields(tx, workspace.id, { oversizeMultiplePct: Math.round(threshold.value * 100) }, now);
      } else {
        await upsertAlertSetting(tx, workspace.id, rule, { threshold: threshold.value }, now);
      }
      await writeAudit(tx, { workspaceId: workspace.id, actor, entity: 'alertSetting', entityId: workspace.id, action: 'update', before: { rule, threshold: before.threshold }, after: { rule, threshold }, now, requestKey });
      return ws;
    });
  });
  return (await loadAlertSettings({ db, workspace: updated }))[rule];
}
