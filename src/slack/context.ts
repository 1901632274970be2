import type { TConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';
import { ensureMember, type TMember } from '../domain/workspaces/ensure-member.js';
import type { SlackGateway } from './gateway.js';
import type { ValueSealer } from './sealed-values.js';
import type { MemberCache } from '../domain/workspaces/member-cache.js';

/** What every listener needs; built once in app.ts. */
export interface AppDeps {
  db: Db;
  slack: SlackGateway;
  config: Pick<TConfig, 'TZ_DEFAULT' | 'CURRENCY_DEFAULT' | 'QUICKCHART_URL'>;
  logger: Logger;
  /** Injected clock: tests and the scheduler control time through it. */
  now: () => Date;
  /** Who is behind a request, cached briefly (see MemberCache). */
  members: MemberCache;
  /** Signs and checks button values and modal metadata (sealed-values.ts). */
  sealer: ValueSealer;
}

/** The workspace and rep behind a Slack request, created on first contact. */
export async function memberFor(deps: AppDeps, teamId: string, userId: string): Promise<TMember> {
  const cached = deps.members.get(teamId, userId);
  if (cached) return cached;
  const member = await ensureMember({
    db: deps.db,
    teamId,
    userId,
    defaults: { timeZone: deps.config.TZ_DEFAULT, currency: deps.config.CURRENCY_DEFAULT },
    lookupProfile: async () => {
      const p = await deps.slack.userProfile(userId);
      return { name: p.name, timeZone: p.timeZone, isSlackAdmin: p.isAdmin };
    },
  });
  deps.members.set(teamId, userId, member);
  return member;
}
