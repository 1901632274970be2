import type { App } from '@slack/bolt';
import type { AppDeps } from '../../context.js';
import { registerDealModal } from './deal-modal.js';
import { registerQuotaModal } from './quota-modal.js';
import { registerRefundModal } from './refund-modal.js';
import { registerCrmModals } from './crm-modals.js';

export function registerViews(app: App, deps: AppDeps): void {
  registerDealModal(app, deps);
  registerQuotaModal(app, deps);
  registerRefundModal(app, deps);
  registerCrmModals(app, deps);
}
