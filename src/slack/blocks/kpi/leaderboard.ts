import type { TLeaderboardReport, TLeaderboardRow } from '../../../domain/metrics/kpi-report.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { assembleKpiMessage, fallbackHead, kitOf, kpiTitle, listSections, phaseOf, repName, type TKpiBlockContext, type TKpiKit } from './common.js';

const MEDALS = [':first_place_medal:', ':second_place_medal:', ':third_place_medal:'];

function rowLine(r: TLeaderboardRow, currency: string, k: TKpiKit): string {
  const rank = MEDALS[r.rank - 1] ?? `${r.rank}.`;
  const parts = [k.tr('kpi.leaderboard.won', { count: k.count(r.wonCount) })];
  if (r.winRate.rate !== null) parts.push(k.tr('kpi.leaderboard.winRate', { rate: k.pct(r.winRate.rate) }));
  if (r.attainment !== null) parts.push(k.tr('kpi.leaderboard.ofQuota', { rate: k.pct(r.attainment) }));
  return k.tr('kpi.leaderboard.row', { rank, rep: repName(r.rep, k.locale), amount: k.money(r.netWonMinor, currency), parts: parts.join(' · ') });
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
  const k = kitOf(ctx);
  const { tr, locale } = k;
  const title = kpiTitle('leaderboard', locale);
  const head = fallbackHead(title, report.scope, ctx);
  const period = escapeMrkdwn(ctx.periodLabel);
  const phase = phaseOf(report);
  const cur = report.currency;
  const rows = report.rows;
  const notes = [tr('kpi.leaderboard.note')];
  if (rows.length === 0) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: k.line(head, tr('kpi.leaderboard.noneText', { phase, period: ctx.periodLabel })),
      figure: tr('kpi.leaderboard.noneFigure', { phase, period }),
      notes,
    });
  }
  const top = rows.slice(0, 3).map((r) => tr('kpi.leaderboard.top', { rank: r.rank, rep: repName(r.rep, locale), amount: k.money(r.netWonMinor, cur) }));
  const leader = rows[0]!;
  const totalNet = rows.reduce((s, r) => s + r.netWonMinor, 0n);
  return assembleKpiMessage(report, ctx, {
    title,
    text: k.line(head, tr('kpi.leaderboard.text', { top: top.join('; '), more: Math.max(0, rows.length - 3) })),
    figure: tr('kpi.leaderboard.figure', { rep: repName(leader.rep, locale), phase, period, amount: k.headline(leader.netWonMinor, cur), count: rows.length, total: k.money(totalNet, cur) }),
    details: listSections(null, rows.map((r) => rowLine(r, cur, k)), { maxSections: 2, moreHint: tr('kpi.leaderboard.moreHint'), locale }),
    notes,
  });
}
