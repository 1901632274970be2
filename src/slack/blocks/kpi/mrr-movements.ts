import type { TMrrMovements, TRetention } from '../../../domain/metrics/mrr-movements.js';
import { formatPercent } from '../../../domain/money.js';
import { escapeMrkdwn } from '../limits.js';
import { money } from './common.js';

function signed(minor: bigint, currency: string, sign: '+' | '-'): string {
  return `${sign}${money(minor, currency)}`;
}

function net(minor: bigint, currency: string): string {
  return minor === 0n ? `±${money(0n, currency)}` : signed(minor < 0n ? -minor : minor, currency, minor < 0n ? '-' : '+');
}

/**
 * The period's MRR movements in one plain line (they sum exactly to the net change).
 *
 * @example movementsText(m, 'VND') // 'new +0 ₫, expansion +0 ₫, contraction -0 ₫, churned -30,000,000 ₫, reactivated +0 ₫ (net -30,000,000 ₫)'
 */
export function movementsText(m: TMrrMovements, currency: string): string {
  return (
    `new ${signed(m.newMinor, currency, '+')}, expansion ${signed(m.expansionMinor, currency, '+')}, contraction ${signed(m.contractionMinor, currency, '-')}, ` +
    `churned ${signed(m.churnedMinor, currency, '-')}, reactivated ${signed(m.reactivatedMinor, currency, '+')} (net ${net(m.netChangeMinor, currency)})`
  );
}

/**
 * NRR, GRR and logo churn in one plain line, or null without MRR at the start.
 *
 * @example retentionText(r, m) // 'NRR 90.0%, GRR 90.0%, logo churn 10.0% (3 of 30 customers)'
 */
export function retentionText(r: TRetention, m: TMrrMovements): string | null {
  if (r.nrr === null || r.grr === null) return null;
  return `NRR ${formatPercent(r.nrr)}, GRR ${formatPercent(r.grr)}, logo churn ${formatPercent(r.logoChurn ?? 0)} (${m.churnedCustomers} of ${m.customersAtStart} ${m.customersAtStart === 1 ? 'customer' : 'customers'})`;
}

/** The two mrkdwn sections of `/kpi mrr` below the figure: movements and retention. */
export function movementSections(m: TMrrMovements, r: TRetention, currency: string, periodLabel: string): string[] {
  const count = (n: number) => (n > 0 ? ` (${n})` : '');
  const lines = [
    `*MRR movements in ${escapeMrkdwn(periodLabel)}:* from ${escapeMrkdwn(money(m.startMrrMinor, currency))} to ${escapeMrkdwn(money(m.endMrrMinor, currency))}, net ${escapeMrkdwn(net(m.netChangeMinor, currency))}`,
    `• New: ${escapeMrkdwn(signed(m.newMinor, currency, '+'))}${count(m.newCustomers)}`,
    `• Expansion: ${escapeMrkdwn(signed(m.expansionMinor, currency, '+'))}${count(m.expandedCustomers)}`,
    `• Contraction: ${escapeMrkdwn(signed(m.contractionMinor, currency, '-'))}${count(m.contractedCustomers)}`,
    `• Churned: ${escapeMrkdwn(signed(m.churnedMinor, currency, '-'))}${count(m.churnedCustomers)}`,
    `• Reactivated: ${escapeMrkdwn(signed(m.reactivatedMinor, currency, '+'))}${count(m.reactivatedCustomers)}`,
  ];
  const retention = retentionText(r, m);
  return [lines.join('\n'), retention ? `*Retention of the customers at the start:* ${escapeMrkdwn(retention)}` : ''];
}

export const RETENTION_NOTE =
  'NRR = (MRR at the start + expansion − contraction − churned) / MRR at the start, for the customers present at the start; GRR leaves expansion out; logo churn = customers churned / customers at the start.';
