import { createWeeklyDigestBuilder } from '../../domain/digests/build-weekly-digest.js';
import { buildWeeklyDigestMessage } from '../blocks/digest.js';
import { createDigestSubcommand } from './digest-subcommands.js';
import type { TKpiSubcommand } from './registry.js';

const shape = createDigestSubcommand();

/**
 * `/kpi digest …` with the real digest content: the preview is the same digest the channel will
 * get (figures, charts, alerts), built with the request's database and clock.
 */
export const weeklyDigestSubcommand: TKpiSubcommand = {
  ...shape,
  run: (a) =>
    createDigestSubcommand({
      buildDigest: createWeeklyDigestBuilder({ db: a.deps.db, quickchartUrl: a.deps.config.QUICKCHART_URL, logger: a.deps.logger, now: a.deps.now, render: buildWeeklyDigestMessage }),
    }).run(a),
};
