/**
 * Error answers outside `/deal` parsing (issue #12): `/kpi` parsing, periods, amounts, stale
 * buttons, repeated requests; the localized command words in help; the install pages. Spread
 * into the main catalogs. English answers keep the AppError's own message (byte for byte): these
 * English entries say the same for the catalog checks.
 */
export const enErrors = {
  // ---- help: the command words of the reader's language (domain/command-aliases.ts) ----------
  'help.localNames': 'KPI names in English: {names}.',
  'deal.help.localVerbs': 'Verbs in English: {verbs}.',
  // ---- /kpi --------------------------------------------------------------------------------
  'error.kpi.repNotMet': '{user} has not used the app yet, so there are no figures for them.',
  'error.kpi.oneRep': 'One rep at a time, please: mention a single person (or a team name).',
  'error.kpi.meOutsideSlack': '"me" only works when a person asks in Slack.',
  'error.kpi.oneScope': 'One scope at a time: {names}{all, select, yes { or all reps} other {}}?',
  'error.kpi.noRate': 'This workspace reports in {reporting} and has no conversion rate for {currency}. Give the target in {reporting}, or an admin can add a rate.',
  'error.kpi.notUnderstood':
    'I didn\'t understand "{typed}" after `/kpi {kpi}`. Give a period — this month (default), last month, this week, last week, this quarter, last quarter, 2026-Q3, Q3, 2026-11, nov 2026, this year, 2026, ytd, last 30 days, today — and optionally who it is for: @rep, me{hasTeams, select, yes { or a team ({teams})} other {}}.',
  'error.kpi.shareStale': 'That button no longer carries a KPI answer I can share. Ask again with `/kpi` and share the new answer.',
  'error.undo.notYours': 'That change was already undone, or it is not yours to undo.',
  'error.slackUnreachable': 'I couldn\'t reach Slack to look you up, so nothing was saved. Please try again in a moment.',
  'error.alreadyDone': 'Already done — this request was handled at {when}; nothing changed again.',
  // ---- periods and times (domain/periods.ts) --------------------------------------------------
  'error.period.notUnderstood':
    'I didn\'t understand the period "{input}". Try today, yesterday, this week, last week, this month, last month, this quarter, last quarter, this year, last year, ytd, last 30 days, 2026-11, nov 2026, 2026-Q3, Q3, 2026 or FY2027.',
  'error.period.year': '"{input}" names a year I can\'t report on. Use a year such as 2026.',
  'error.period.quarter': '"{input}": a year has quarters Q1 to Q4 only.',
  'error.period.rolling': 'Rolling periods run from 1 to {max} days, not {n}.',
  'error.period.notDate': '"{input}" is not a date on the calendar.',
  'error.period.month': '"{input}": months run from 01 to 12.',
  'error.period.week': '"{input}": {year} has no ISO week {week}.',
  'error.time.zone': '"{zone}" is not a time zone I know. Use an IANA name such as Europe/Berlin or Asia/Ho_Chi_Minh.',
  'error.time.fiscalStart': 'The fiscal year start month must be a month number from 1 to 12, not {month}.',
  'error.time.dateForm': '"{input}" is not a date in the form YYYY-MM-DD.',
  'error.time.hhmm': '"{input}" is not a time in the form HH:MM (24-hour clock).',
  // ---- amounts and currencies (domain/money.ts) -----------------------------------------------
  'error.money.unknownCurrency': 'I don\'t know the currency "{code}". Use an ISO code such as USD, EUR, GBP, VND or JPY.',
  'error.money.tooLong': 'That amount is too long to read. Write just the number and currency.',
  'error.money.decimals': '{currency} amounts have {digits, plural, =0 {no decimals} other {at most # decimals}}, so "{shown}" can\'t be recorded as is.',
  'error.money.tooLarge': '"{shown}" is larger than any deal amount I can record ({max} at most).',
  'error.money.badGroups': 'The digit groups in "{shown}" don\'t look right: thousands separators go every 3 digits, as in 1,200,000.',
  'error.money.manyCurrencies': '"{shown}" names more than one currency ({what}). Give just one.',
  'error.money.kr': '"kr" could be Swedish, Norwegian or Danish kronor. Write the code instead.',
  'error.money.ratePositive': 'The conversion rate from {from} to {to} must be a positive number, not {rate}.',
  // ---- imports (domain/imports: the import command's own messages) ---------------------------
  'error.import.badCsv': '{file}{line} is not valid CSV: {what}',
  'error.import.conflict': 'The workspace changed while {file} was being imported; nothing was written. Run the import again.',
  'error.import.noWorkspace': 'there is no workspace {team} yet: import its deals first, or open the app in that Slack workspace, then import lead counts',
  'error.import.noTeam': 'A Slack team id is needed to import into a workspace.',
  // ---- install pages (slack/oauth/pages.ts: plain text, {placeholders} become the page's HTML) --
  'page.install.title': 'Install {app}',
  'page.install.intro': '{app} answers {kpi} and {deal} in your Slack workspace: reps log deals from chat, anyone asks for win rate, quota or revenue, and a channel gets a weekly digest.',
  'page.install.how': 'To install it, choose {button}. Slack asks you to pick a workspace and to allow the access below, then brings you back here.',
  'page.install.asks': 'What the app will be allowed to do',
  'page.install.button': 'Add to Slack',
  'page.install.admin': 'If Slack says an admin must approve the app, ask a workspace admin to approve or install it.',
  'page.scope.commands': 'adds the app\'s two slash commands and its "Log as won deal" message shortcut',
  'page.scope.chatWrite': 'posts deal announcements, private answers, the weekly digest and alerts in the channels the app is in',
  'page.scope.usersRead': 'reads a person\'s name, time zone and admin status, for reports and for who may change settings',
  'page.scope.usersReadEmail': 'finds the Slack user behind a CRM deal owner\'s email (only with a connected CRM)',
  'page.scope.channelsRead': 'checks that the app is in a public channel chosen for the digest or alerts, and that it is not archived',
  'page.scope.groupsRead': 'the same check for a private channel chosen for the digest or alerts',
  'page.success.title': '{app} is installed',
  'page.success.ready': 'The app is ready{hasTeam, select, yes { in {team}} other {}}. Open Slack and type {kpiHelp} or {dealHelp} in any channel to start.',
  'page.success.invite': 'For deal announcements and the weekly digest in a channel, invite the app there: {invite}.',
  'page.success.close': 'You can close this page.',
  'page.failure.title': '{app} was not installed',
  'page.failure.cancelled': 'The installation was cancelled in Slack, so nothing was installed.',
  'page.failure.expired': 'This installation link has expired or was not started from this browser, so nothing was installed.',
  'page.failure.failed': 'Slack did not complete the installation, so nothing was installed.',
  'page.failure.retry': 'To try again, {link} in this browser. If it keeps failing, ask a workspace admin whether apps may be installed, and give the app\'s operator the time of this attempt.',
  'page.failure.retryLink': 'start the installation again',
} as const;
