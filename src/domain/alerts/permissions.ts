import { AppError } from '../../errors.js';
import type { Rep } from '../../storage/models.js';
import { isManagerOrAdmin } from '../workspaces/ensure-member.js';

/** What a manager may change about alerts, as the refusal names it, and its catalog option. */
const ALERT_CHANGES = {
  'change alert thresholds': 'thresholds',
  'turn alerts on': 'on',
  'turn alerts off': 'off',
  'choose the alerts channel': 'channel',
  'snooze alerts': 'snooze',
  'end alert snoozes': 'unsnooze',
} as const;
export type TAlertChange = keyof typeof ALERT_CHANGES;

/**
 * Alert settings, the alerts channel and snoozes are changed by managers and admins only.
 *
 * @example
 * assertCanManageAlerts({ role: 'rep' }, 'snooze alerts'); // throws AppError FORBIDDEN
 */
export function assertCanManageAlerts(actor: Pick<Rep, 'role'>, what: TAlertChange): void {
  if (!isManagerOrAdmin(actor)) {
    throw new AppError('FORBIDDEN', `Only managers and admins can ${what}. Ask a manager, or an admin can make you one with \`/kpi role @you manager\`.`, {
      i18n: { key: 'error.managersOnly.alerts', values: { action: ALERT_CHANGES[what] } },
    });
  }
}
