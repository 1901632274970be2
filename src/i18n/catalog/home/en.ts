/**
 * The App Home (issue #12), English: the source of these keys, spread into the main catalog. The
 * Home is private, so it is shown in the reader's language (`localeOf`). English is the Home's
 * wording as it was, byte for byte (test/unit/app-home.test.ts, test/e2e/quota-home.test.ts).
 * Also the modals the Home's buttons open (refund, quota; `/deal`'s modal has its own keys) and an
 * admin's CRM sync section. KPI words come from the `/kpi` keys (`kpi.title.*`, `kpi.quota.*`).
 */
export const enHome = {
  // ---- header, context, buttons -------------------------------------------------------------
  'home.header': 'Your sales: {period}',
  'home.context': 'Period {period} · time zone {timeZone} · amounts in {currency} · updated {when}',
  'home.button.logDeal': 'Log a deal',
  'home.button.recordRefund': 'Record refund',
  'home.button.setQuotas': 'Set quotas',

  // ---- my quota ----------------------------------------------------------------------------
  'home.quota.title': '*My quota: {period}*',
  'home.quota.none': ':information_source: No quota set for you this {kind, select, quarter {quarter} other {month}} — ask your manager to run `/kpi quota set @you 50k`.',
  'home.quota.wonSoFar': 'You have won {amount} net so far this {kind, select, quarter {quarter} other {month}}.',
  'home.quota.prorated': ' (pro-rated from your {from, select, month {monthly} quarter {quarterly} other {yearly}} quota)',
  'home.quota.progress': '*{won}* won of *{quota}*{prorated}: {rate} attained',
  'home.quota.elapsed': '{share} of the {kind, select, quarter {quarter} other {month}} gone',
  'home.quota.met': ':tada: *Quota met.* {elapsed}.',
  'home.quota.pace': '{status}: expected by now {expected} ({elapsed}){gap}.',
  'home.quota.toGo': '; {amount} to go',
  'home.pace.on-track': ':large_green_circle: *On track*',
  'home.pace.behind': ':large_yellow_circle: *Behind*',
  'home.pace.at-risk': ':red_circle: *At risk*',
  'home.paceNote': 'Pace: on track at {onTrack}+ of the amount expected by today (quota × share of the period gone), at risk below {atRisk}.',

  // ---- deals needed to close the gap ---------------------------------------------------------
  'home.gap.noDeals': '*To close the gap* ({remaining}): no won deals in {basis} to estimate how many deals that takes.',
  'home.gap.plan': "*To close the gap* ({remaining}): about *{deals}* at {whose, select, rep {your} team {your team''s} other {the workspace''s}} average won deal of {basis}, {average}{leads}.",
  'home.gap.leads': ' (≈ {leads, plural, one {# lead} other {# leads}} at {rate} lead conversion)',

  // ---- my open deals -------------------------------------------------------------------------
  'home.deals.none': '*My open deals*\nNo open deals. Use *{button}* or `/deal stage Acme demo 20k` to add one.',
  'home.deals.title': '*My open deals*: {count} worth {total}, biggest first',
  'home.deals.line': '*{customer}* · {amount} · {stage}',
  'home.deals.oversized': ":warning: *Oversized:* {multiple}× {whose, select, rep {your} other {the team''s}} average won deal ({baseline}): expect a longer cycle and a lower close rate.",
  'home.deals.carriesGap': ' It carries most of your remaining gap ({amount}); keep other deals moving too.',
  'home.deals.more': '…and {count, plural, one {# more open deal} other {# more open deals}}. Ask /kpi dealsize for the full oversized-deal check.',
  'home.deals.oversizedNote': "Oversized = at least {multiple}× your average won deal (or your team''s, without history of your own).",

  // ---- my team -------------------------------------------------------------------------------
  'home.team.title': '*{scope, select, team {{name} team} other {Whole workspace}}: {period}*',
  'home.team.field': '*{title}*\n{value}',
  'home.team.winNone': 'no closed deals yet',
  'home.team.win': '{rate} ({counts})',
  'home.team.afterRefunds': ' (after {amount} refunds)',
  'home.team.ratioTitle': 'Attainment ratio',
  'home.team.ratioNone': 'no rep has a quota yet',
  'home.team.ratio': '{rate}: {at} of {with, plural, one {# rep} other {# reps}} at 100%+{band}',
  'home.team.band': ', {band, select, unrealistic {below the healthy band} easy {above the healthy band} other {healthy}} ({low}–{high})',
  'home.team.attainmentTitle': 'Team attainment',
  'home.team.attainmentNone': 'no quota set',
  'home.team.attainment': '{rate} of {quota}',
  'home.team.advice': ':bulb: {advice}',

  // ---- an admin's CRM sync -------------------------------------------------------------------
  'home.crm.title': '*CRM sync*',
  'home.crm.health':
    '*{vendor}*: {status, select, active {:large_green_circle: healthy} failing {:red_circle: failing} revoked {:no_entry: credentials revoked} other {:white_circle: disconnected}}{syncing, select, yes { · syncing now} other {}}{backfilling, select, yes { · first full load in progress} other {}}',
  'home.crm.lastSync': 'Last sync: {lastSync} · last success: {lastSuccess}{lag}',
  'home.crm.lag': ' (lag {lag})',
  'home.crm.never': 'never',
  'home.crm.lastError': 'Last error: {error}',
  'home.crm.disconnected': 'Not syncing. Connect again with `/kpi crm connect …`.',
  'home.crm.revoked': 'Not syncing until an admin connects again.',
  'home.crm.links': 'Details: `/kpi crm status` · stage mapping: `/kpi crm stages` · owners: `/kpi crm owners`',

  // ---- the refund modal (the Home's *Record refund*, the deal modal's *Record a refund*) ------
  'refundModal.title': 'Record a refund',
  'refundModal.submit': 'Record refund',
  'refundModal.cancel': 'Cancel',
  'refundModal.customer': 'Customer',
  'refundModal.customerHint': 'The customer of a won deal; the refund is recorded against it.',
  'refundModal.amount': 'Amount refunded',
  'refundModal.amountPlaceholder': '2m, $2,000,000, 800tr',
  'refundModal.amountHint': 'Counts against net revenue of today’s period.',
  'refundModal.currency': 'Currency',
  'refundModal.reason': 'Reason',
  'refundModal.reasonPlaceholder': 'Damaged goods',
  'refundModal.confirm': 'Above the deal',
  'refundModal.confirmOption': 'Record it even if it is more than was won (minus earlier refunds)',

  // ---- the quota modal (the Home's *Set quotas*, `/kpi quota set`) ---------------------------
  'quotaModal.title': 'Set a quota',
  'quotaModal.submit': 'Save quota',
  'quotaModal.cancel': 'Cancel',
  'quotaModal.intro': 'Set a quota for *one rep or one team*. Setting it again for the same period replaces it. Periods follow the workspace calendar in *{timeZone}*; amounts are kept in {currency}.',
  'quotaModal.rep': 'Rep',
  'quotaModal.repHint': 'Pick a rep, or a team below (not both).',
  'quotaModal.repHintNoTeams': 'Team quotas need a team: `/kpi team create North`.',
  'quotaModal.repPlaceholder': 'Choose a rep',
  'quotaModal.team': '…or a team',
  'quotaModal.teamHint': 'A team quota covers the whole team.{more}',
  'quotaModal.teamMore': ' Showing the first {count} teams; for others use `{command}`.',
  'quotaModal.teamPlaceholder': 'Choose a team',
  'quotaModal.amount': 'Quota amount',
  'quotaModal.amountPlaceholder': '50k, $50,000, 1.5m, 800tr',
  'quotaModal.amountHint': '50k = 50,000; 1.5m = 1,500,000; 800tr = 800 million VND.',
  'quotaModal.currency': 'Currency',
  'quotaModal.currencyConverted': 'Other currencies are converted to {currency} at the workspace rate.',
  'quotaModal.currencyAdd': 'Add other currencies with rates (admins), e.g. `{example}`.',
  'quotaModal.period': 'Period',
  'quotaModal.kind': '{kind, select, quarter {Quarter} year {Year} other {Month}}',
  'quotaModal.which': 'Which one',
  'quotaModal.whichThis': 'This one ({month} · {quarter} · {year})',
  'quotaModal.whichNext': 'The next one ({month} · {quarter} · {year})',
  'quotaModal.whichSpecific': 'A specific one, typed below',
  'quotaModal.specific': 'Specific period',
  'quotaModal.specificPlaceholder': '2026-11, 2026-Q3 or 2026',
  'quotaModal.specificHint': 'A month (2026-11), a quarter (2026-Q3) or a year (2026). When filled in, it is used instead of Period and Which one. Time zone {timeZone}.',

  // ---- refusals of the Home's buttons (AppError `i18n`) ----------------------------------------
  'error.quota.whoCan': 'Only managers and admins can set quotas. Ask an admin to make you a manager (`/kpi role @you manager`), or ask your manager to set it.',
  'error.refund.modalNotOpened': "I couldn't open the refund form because Slack did not answer in time. Try again, or record it in one line.",
} as const;
