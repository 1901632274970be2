import type { App } from '@slack/bolt';
import type { AppDeps } from '../../context.js';

/** Event listeners (App Home is registered here). */
export function registerEvents(_app: App, _deps: AppDeps): void {}
