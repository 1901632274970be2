import type { App } from '@slack/bolt';
import type { AppDeps } from '../../context.js';
import { registerUndoDeal } from './undo-deal.js';

export function registerActions(app: App, deps: AppDeps): void {
  registerUndoDeal(app, deps);
}
