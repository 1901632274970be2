import type { App } from '@slack/bolt';
import type { AppDeps } from '../../context.js';
import { registerShareKpi } from './share-kpi.js';
import { registerHomeButtons } from './home-buttons.js';
import { registerUndoDeal } from './undo-deal.js';
import { registerSnoozeAlert } from './snooze-alert.js';
import { registerRefundButtons } from './refund-buttons.js';
import { registerCrmDisconnect } from './crm-disconnect.js';

export function registerActions(app: App, deps: AppDeps): void {
  registerUndoDeal(app, deps);
  registerHomeButtons(app, deps);
  registerShareKpi(app, deps);
  registerSnoozeAlert(app, deps);
  registerRefundButtons(app, deps);
  registerCrmDisconnect(app, deps);
}
