import type { AppDeps } from './context.js';
import type { THttpRoute } from './receiver.js';
import { crmRoutes } from './crm-routes.js';

/**
 * The app's HTTP routes besides Slack's events and `/healthz`: CRM webhooks and OAuth callbacks
 * (issue #10). Both receivers serve them (HTTP mode on the same port, Socket Mode on its health
 * server). `deps` is read when a request arrives: the routes exist before the Bolt app that the
 * dependencies are built from.
 *
 * @example
 * new KpiHttpReceiver({ …, routes: httpRoutes(() => deps) });
 */
export function httpRoutes(deps: () => AppDeps): THttpRoute[] {
  return [...crmRoutes(deps)];
}
