import type { App } from '@slack/bolt';
import type { AppDeps } from '../../context.js';
import { registerDealCommand } from './deal.js';
import { registerKpiCommand } from './kpi.js';

export function registerCommands(app: App, deps: AppDeps): void {
  registerDealCommand(app, deps);
  registerKpiCommand(app, deps);
}
