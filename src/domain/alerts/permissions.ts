import { AppError } from '../../errors.js';
import type { Rep } from '../../storage/models.js';
import { isManagerOrAdmin } from '../workspaces/ensure-member.js';

/**
 * Alert settings, the alerts channel and snoozes are changed by managers and admins only.
 *
 * @example
 * assertCanManageAlerts({ role: 'rep' }, 'snooze alerts'); // throws AppError FORBIDDEN
 */
export function assertCanManageAlerts(actor: Pick<Rep, 'role'>, what: string): void {
  if (!isManagerOrAdmin(actor)) {
    throw new AppError('FORBIDDEN', `Only managers and admins can ${what}. Ask a manager, or an admin can make you one with \`/kpi role @you manager\`.`);
  }
}
