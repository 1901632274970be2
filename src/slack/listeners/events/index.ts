import type { App } from '@slack/bolt';
import type { AppDeps } from '../../context.js';
import { registerAppHomeOpened } from './app-home-opened.js';

/** Event listeners (App Home is registered here). */
export function registerEvents(app: App, deps: AppDeps): void {
  registerAppHomeOpened(app, deps);
}
