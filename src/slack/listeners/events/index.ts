import type { App } from '@slack/bolt';
import type { AppDeps } from '../../context.js';
import { registerAppHomeOpened } from './app-home-opened.js';
import { registerUninstallEvents } from './uninstall.js';

/** Event listeners (App Home; in OAuth mode also uninstall and token revocation). */
export function registerEvents(app: App, deps: AppDeps, opts: { oauth: boolean } = { oauth: false }): void {
  registerAppHomeOpened(app, deps);
  if (opts.oauth) registerUninstallEvents(app, deps);
}
