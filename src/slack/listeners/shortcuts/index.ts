import type { App } from '@slack/bolt';
import type { AppDeps } from '../../context.js';
import { registerLogAsWon } from './log-as-won.js';

export function registerShortcuts(app: App, deps: AppDeps): void {
  registerLogAsWon(app, deps);
}
