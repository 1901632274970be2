import type { TKpiReport } from '../../../domain/metrics/kpi-report.js';
import type { SlackMessage } from '../../gateway.js';
import type { TKpiBlockContext } from './common.js';
import { buildConversionMessage } from './conversion.js';
import { buildDealSizeMessage } from './deal-size.js';
import { buildFunnelMessage } from './funnel.js';
import { buildLeaderboardMessage } from './leaderboard.js';
import { buildMrrMessage } from './mrr.js';
import { buildPlanMessage } from './plan.js';
import { buildQuotaMessage } from './quota.js';
import { buildRevenueMessage } from './revenue.js';
import { buildWinRateMessage } from './win-rate.js';

export * from './common.js';
export { buildConversionMessage, buildDealSizeMessage, buildFunnelMessage, buildLeaderboardMessage, buildMrrMessage, buildPlanMessage, buildQuotaMessage, buildRevenueMessage, buildWinRateMessage };
export { attainmentBandLine } from './quota.js';
export { mixLine, DEAL_TYPE_LABELS } from './revenue.js';
export { stepName } from './funnel.js';

/**
 * The Block Kit answer for any KPI report (pure: same report and context, same message).
 *
 * @example
 * buildKpiMessage(report, { periodLabel: 'November 2026', timeZone: 'UTC', scopeLabel: 'all reps' });
 */
export function buildKpiMessage(report: TKpiReport, ctx: TKpiBlockContext): SlackMessage {
  switch (report.kind) {
    case 'winrate':
      return buildWinRateMessage(report, ctx);
    case 'conversion':
      return buildConversionMessage(report, ctx);
    case 'quota':
      return buildQuotaMessage(report, ctx);
    case 'dealsize':
      return buildDealSizeMessage(report, ctx);
    case 'revenue':
      return buildRevenueMessage(report, ctx);
    case 'mrr':
      return buildMrrMessage(report, ctx);
    case 'funnel':
      return buildFunnelMessage(report, ctx);
    case 'plan':
      return buildPlanMessage(report, ctx);
    case 'leaderboard':
      return buildLeaderboardMessage(report, ctx);
  }
}
