import type { TConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';
import { ensureMember, type TMember } from '../domain/workspaces/ensure-member.js';
import type { SlackGateway } from './gateway.js';

/** What every listener needs; built once in app.ts. */
export interface AppDeps {
  db: Db;
  slack: SlackGateway;
  config: Pick<TConfig, 'TZ_DEFAULT' | 'CURRENCY_DEFAULT' | 'QUICKCHART_URL'>;
  logger: Logger;
  /** Injected clock: tests and the scheduler control time through it. */
  now: () => Date;
}

/** The workspace and rep behind a Slack request, created on first contact. */
export function memberFor(deps: AppDeps, teamId: string, userId: string): Promise<TMember> {
  return ensureMember({
    db: deps.db,
    teamId,
    userId,
    defaults: { timeZone: deps.config.TZ_DEFAULT, currency: deps.config.CURRENCY_DEFAULT },
    lookupProfile: async () => {
      const p = await deps.slack.userProfile(userId);
      return { name: p.name, timeZone: p.timeZone, isSlackAdmin: p.isAdmin };
    },
  });
}
