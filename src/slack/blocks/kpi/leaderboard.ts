import type { TLeaderboardReport, TLeaderboardRow } from '../../../domain/metrics/kpi-report.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { assembleKpiMessage, fallbackHead, KPI_TITLES, listSections, money, pct, phaseOf, plural, repName, yet, type TKpiBlockContext } from './common.js';

const MEDALS = [':first_place_medal:', ':second_place_medal:', ':third_place_medal:'];

function rowLine(r: TLeaderboardRow, currency: string): string {
  const rank = MEDALS[r.rank - 1] ?? `${r.rank}.`;
  const parts = [`${plural(r.wonCount, 'won', 'won')}`];
  if (r.winRate.rate !== null) parts.push(`win rate ${pct(r.winRate.rate)}`);
  if (r.attainment !== null) parts.push(`${pct(r.attainment)} of quota`);
  return `${rank} *${repName(r.rep)}* — ${money(r.netWonMinor, currency)} · ${parts.join(' · ')}`;
}

/**
 * The `/kpi leaderboard` answer: reps ranked by net won revenue in the period (then won count),
 * with win rate and quota attainment. Long boards are cut to fit one message, ending with
 * "…and N more".
 *
 * @example
 * buildLeaderboardMessage(report, ctx).text; // 'Leaderboard (November 2026, UTC): 1. Ana $50,000; 2. Bo $30,000; 3. Cy $10,000'
 */
export function buildLeaderboardMessage(report: TLeaderboardReport, ctx: TKpiBlockContext): SlackMessage {
  const title = KPI_TITLES.leaderboard;
  const head = fallbackHead(title, report.scope, ctx);
  const period = escapeMrkdwn(ctx.periodLabel);
  const cur = report.currency;
  const rows = report.rows;
  const notes = ['Ranked by net won revenue (won − refunds) in the period, then by deals won.'];
  if (rows.length === 0) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: `${head}: no closed deals or quotas${yet(report)} in ${ctx.periodLabel}`,
      figure: `No closed deals or quotas${yet(report)} in ${period}: nobody to rank.`,
      notes,
    });
  }
  const top = rows.slice(0, 3).map((r) => `${r.rank}. ${repName(r.rep)} ${money(r.netWonMinor, cur)}`);
  const leader = rows[0]!;
  const totalNet = rows.reduce((s, r) => s + r.netWonMinor, 0n);
  return assembleKpiMessage(report, ctx, {
    title,
    text: `${head}: ${top.join('; ')}${rows.length > 3 ? ` (and ${rows.length - 3} more)` : ''}`,
    figure: `*${repName(leader.rep)}* ${phaseOf(report) === 'ended' ? 'finished first in' : 'leads'} ${period} with *${money(leader.netWonMinor, cur)}* net won — ${plural(rows.length, 'rep', 'reps')} ranked, ${money(totalNet, cur)} in total.`,
    details: listSections(null, rows.map((r) => rowLine(r, cur)), { maxSections: 2, moreHint: '(narrow it down with a team: `/kpi leaderboard &lt;team&gt;`)' }),
    notes,
  });
}
