import { zonedDateTime } from '../periods.js';
import { cleanName } from '../deals/text-input.js';
import { clean, count, dateReader, FieldError, issueFrom, plural, DATE_ONLY_LOCAL_TIME } from './fields.js';
import type { TCsvRow, TCsvTable, TDealDraft, TImportMapping, TMappedRows, TMappingContext, TOwnerRef, TRosterEntry, TRowIssue } from './types.js';

/**
 * Mapping for the public Maven Analytics "CRM Sales Opportunities" data set
 * (datasets/maven-crm/README.md): `sales_pipeline.csv` is the deals file; `sales_teams.csv`,
 * `products.csv` and `accounts.csv` are optional side files.
 *
 * | CSV | Deal |
 * | --- | --- |
 * | opportunity_id | externalId |
 * | sales_agent | owner: rep with importKey `maven:<name>`, created by name until linked to a Slack user |
 * | account | customer; blank → `(no account)` (counted in the report) |
 * | deal_stage Prospecting | stage = first funnel stage (`lead`), maxStageIndex 0, open |
 * | deal_stage Engaging | stage `contacted` (second stage), maxStageIndex 1, open |
 * | deal_stage Won | status won, stage won, maxStageIndex = stages.length |
 * | deal_stage Lost | status lost, stage lost, maxStageIndex 1 — see below |
 * | engage_date | createdAt (entered the funnel), local noon in the workspace zone |
 * | close_date | closedAt, local noon in the workspace zone |
 * | close_value | amountMinor = whole USD × 100, currency USD |
 * | product | notes (`Product: GTXPro`, spelled as in the file) |
 * | — | type `new` (the data has no type and no recurring amounts) |
 *
 * Decisions on the data's documented quirks (nothing is "fixed" silently; each is reported):
 * - **Lost deals** carry `close_value = 0`: kept as 0 (the file says so; win rate counts deals,
 *   not value). Their furthest stage is not recorded; they were engaged before being lost, so
 *   they count as having reached `contacted` (maxStageIndex 1), never `demo` or later.
 * - **Blank engage_date** (500 rows, all Prospecting): such a lead's funnel-entry date is
 *   unknown. It gets the latest date found anywhere in the file (2017-12-31 for this set: the
 *   snapshot date, when the lead was known to exist) rather than the import's `now`, which would
 *   push old leads into the current period. A closed deal without engage_date enters the funnel
 *   on its close date. The fallback never overwrites a stored deal's date on re-import.
 * - **Blank close_value on open deals**: amount 0 (the pipeline value is unknown; list prices
 *   from products.csv are not invented into amounts).
 * - **GTXPro vs GTX Pro**: the notes keep the pipeline's spelling; with products.csv the
 *   mismatch is reported.
 * - **Sector typo `technolgy`** in accounts.csv: reported; accounts.csv is only used to check
 *   the pipeline's account names, nothing from it is stored.
 * - **Agents without deals** (5 in sales_teams.csv): not created as reps (a rep is created for an
 *   owner of deals); listed in the report. Managers name the teams and are not reps either.
 * - **CRLF line endings**: handled by the CSV reader.
 */

export const MAVEN_PIPELINE_COLUMNS = ['opportunity_id', 'sales_agent', 'product', 'account', 'deal_stage', 'engage_date', 'close_date', 'close_value'] as const;
export const MAVEN_TEAMS_COLUMNS = ['sales_agent', 'manager', 'regional_office'] as const;
export const MAVEN_PRODUCTS_COLUMNS = ['product', 'series', 'sales_price'] as const;
export const MAVEN_ACCOUNTS_COLUMNS = ['account', 'sector'] as const;

/** Customer of a deal whose account is blank. */
export const NO_ACCOUNT = '(no account)';

export interface TMavenSideFiles {
  salesTeams?: TCsvTable;
  products?: TCsvTable;
  accounts?: TCsvTable;
}

/** `maven:Anna Snelling`. */
export function mavenImportKey(agent: string): string {
  return `maven:${clean(agent)}`;
}

/** One team per regional office and manager: `Central (Dustin Brinkmann)`. */
export function mavenTeamName(regionalOffice: string, manager: string): string {
  return `${clean(regionalOffice)} (${clean(manager)})`;
}

function owner(agent: string): TOwnerRef {
  const name = clean(agent);
  return { importKey: mavenImportKey(name), name, slackUserId: null, matchByName: false };
}

function hasColumns(columns: readonly string[], wanted: readonly string[]): string[] {
  return wanted.filter((c) => !columns.includes(c));
}

/** Whole US dollars (or dollars and cents) → cents. */
function usdCents(field: string, text: string): bigint {
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m?.[1]) throw new FieldError(field, 'not an amount', `${field} "${text}" is not an amount in dollars (digits only, such as 1054)`);
  return BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}

const STAGES = { prospecting: 'Prospecting', engaging: 'Engaging', won: 'Won', lost: 'Lost' } as const;
type TMavenStage = (typeof STAGES)[keyof typeof STAGES];

const KNOWN_SECTORS = [
  'technology', 'medical', 'retail', 'software', 'finance', 'marketing', 'telecommunications', 'entertainment', 'services', 'employment',
  'education', 'healthcare', 'manufacturing', 'energy', 'government', 'media', 'transportation', 'consulting', 'insurance', 'banking',
  'hospitality', 'construction', 'agriculture', 'legal', 'automotive', 'pharmaceuticals', 'utilities', 'logistics',
];

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

const squash = (s: string): string => s.toLowerCase().replace(/[\s_-]+/g, '');

/**
 * The maven-crm mapping. Side files are optional: sales_teams.csv creates the teams and puts
 * reps on them, products.csv and accounts.csv are only used to check names.
 */
export function mavenCrmMapping(side: TMavenSideFiles = {}): TImportMapping {
  return {
    name: 'maven-crm',
    map: (rows, ctx) => mapMaven(rows, ctx, side),
  };
}

function mapMaven(rows: readonly TCsvRow[], ctx: TMappingContext, side: TMavenSideFiles): TMappedRows {
  const fileErrors: string[] = [];
  const missing = hasColumns(ctx.columns, MAVEN_PIPELINE_COLUMNS);
  if (missing.length > 0) fileErrors.push(`${ctx.file} has no column ${missing.join(', ')}: a maven-crm sales_pipeline.csv has ${MAVEN_PIPELINE_COLUMNS.join(', ')}`);
  for (const [table, cols, what] of [
    [side.salesTeams, MAVEN_TEAMS_COLUMNS, 'sales_teams.csv'],
    [side.products, MAVEN_PRODUCTS_COLUMNS, 'products.csv'],
    [side.accounts, MAVEN_ACCOUNTS_COLUMNS, 'accounts.csv'],
  ] as const) {
    if (!table) continue;
    const m = hasColumns(table.columns, cols);
    if (m.length > 0) fileErrors.push(`${table.file} has no column ${m.join(', ')}: a maven-crm ${what} has ${cols.join(', ')}`);
  }
  const empty: TMappedRows = { deals: [], issues: [], fileErrors, teams: [], roster: [], notes: [], warnings: [] };
  if (fileErrors.length > 0) return empty;

  const issues: TRowIssue[] = [];
  const notes: string[] = [];
  const warnings: string[] = [];
  const readDate = dateReader(ctx.timeZone);
  const stages = ctx.stages;
  const leadStage = stages[0] ?? 'lead';
  const engagedIndex = stages.includes('contacted') ? stages.indexOf('contacted') : Math.min(1, stages.length - 1);
  const engagedStage = stages[engagedIndex] ?? leadStage;
  const won = stages.length;
  const latestMs = ctx.now.getTime() + 36 * 3600 * 1000;

  // Latest date anywhere in the file: the funnel-entry fallback for leads without engage_date.
  let latest = '';
  for (const r of rows) {
    for (const f of ['engage_date', 'close_date'] as const) {
      const v = (r.values[f] ?? '').trim();
      if (/^\d{4}-\d{2}-\d{2}$/.test(v) && v > latest) latest = v;
    }
  }
  let fallback: Date = ctx.now;
  let fallbackLabel = `the import time (${ctx.now.toISOString()})`;
  if (latest) {
    try {
      fallback = zonedDateTime(latest, DATE_ONLY_LOCAL_TIME, ctx.timeZone);
      fallbackLabel = `${latest}, the latest date in the file`;
    } catch {
      /* an impossible date such as 2017-02-30: keep `now` */
    }
  }

  const deals: Array<{ line: number; draft: TDealDraft }> = [];
  const seen = new Map<string, number>();
  const agentsWithDeals = new Set<string>();
  const productRows = new Map<string, number>();
  const accountNames = new Set<string>();
  let noAccount = 0;
  let undated = 0;
  let closedUndated = 0;
  const undatedByStage = new Map<TMavenStage, number>();
  let lost = 0;
  let openWithoutValue = 0;
  let lostWithValue = 0;

  for (const row of rows) {
    const v = (f: string): string => (row.values[f] ?? '').trim();
    const rowIssues: TRowIssue[] = [];
    const attempt = <T>(fn: () => T): T | undefined => {
      try {
        return fn();
      } catch (e) {
        rowIssues.push(issueFrom(ctx.file, row.line, e));
        return undefined;
      }
    };

    const externalId = attempt(() => {
      const id = v('opportunity_id');
      if (!id) throw new FieldError('opportunity_id', 'missing', 'opportunity_id is empty');
      if (id.length > 200) throw new FieldError('opportunity_id', 'too long', 'opportunity_id is longer than 200 characters');
      const first = seen.get(id);
      if (first !== undefined) throw new FieldError('opportunity_id', 'duplicate', `opportunity_id ${id} already appears on line ${first}`);
      seen.set(id, row.line);
      return id;
    });
    const agent = attempt(() => {
      const a = clean(v('sales_agent'));
      if (!a) throw new FieldError('sales_agent', 'missing', 'sales_agent is empty');
      if (a.length > 200) throw new FieldError('sales_agent', 'too long', 'sales_agent is longer than 200 characters');
      return a;
    });
    const stageName = attempt((): TMavenStage => {
      const s = STAGES[v('deal_stage').toLowerCase() as keyof typeof STAGES];
      if (!s) throw new FieldError('deal_stage', 'unknown stage', `deal_stage "${v('deal_stage')}" is not one of Prospecting, Engaging, Won, Lost`);
      return s;
    });
    const closed = stageName === 'Won' || stageName === 'Lost';
    const engagedAt = attempt(() => (v('engage_date') ? readDate('engage_date', v('engage_date')) : null));
    const closedAt = attempt(() => {
      const text = v('close_date');
      if (!text) {
        if (closed) throw new FieldError('close_date', 'missing', `close_date is empty on a ${stageName} deal`);
        return null;
      }
      if (stageName !== undefined && !closed) throw new FieldError('close_date', 'set on an open deal', `close_date "${text}" is set but the deal is still ${stageName}`);
      const d = readDate('close_date', text);
      if (d.getTime() > latestMs) throw new FieldError('close_date', 'in the future', `close_date ${text} is in the future`);
      return d;
    });
    const amount = attempt(() => {
      const text = v('close_value');
      if (!text) {
        if (closed) throw new FieldError('close_value', 'missing', `close_value is empty on a ${stageName} deal`);
        return 0n;
      }
      const cents = usdCents('close_value', text);
      if (stageName === 'Won' && cents <= 0n) throw new FieldError('close_value', 'zero on a won deal', 'close_value is 0 on a Won deal: a won deal needs an amount above zero');
      return cents;
    });
    if (engagedAt && closedAt && engagedAt.getTime() > closedAt.getTime()) {
      rowIssues.push({ file: ctx.file, line: row.line, field: 'engage_date', kind: 'after close date', message: `engage_date ${v('engage_date')} is after close_date ${v('close_date')}` });
    }
    if (rowIssues.length > 0 || externalId === undefined || agent === undefined || stageName === undefined || engagedAt === undefined || closedAt === undefined || amount === undefined) {
      issues.push(...rowIssues);
      continue;
    }

    const account = clean(v('account'));
    if (!account) noAccount++;
    else accountNames.add(account);
    const product = clean(v('product'));
    if (product) productRows.set(product, (productRows.get(product) ?? 0) + 1);
    agentsWithDeals.add(agent);
    if (engagedAt === null && closedAt !== null) closedUndated++;
    let createdAt = engagedAt ?? closedAt;
    const createdAtIsFallback = createdAt === null;
    if (createdAt === null) {
      createdAt = fallback;
      undated++;
      undatedByStage.set(stageName, (undatedByStage.get(stageName) ?? 0) + 1);
    }
    if (stageName === 'Lost') {
      lost++;
      if (amount > 0n) lostWithValue++;
    }
    if (!closed && !v('close_value')) openWithoutValue++;

    const status = stageName === 'Won' ? 'won' : stageName === 'Lost' ? 'lost' : 'open';
    const stage = stageName === 'Prospecting' ? leadStage : stageName === 'Engaging' ? engagedStage : status;
    const maxStageIndex = stageName === 'Prospecting' ? 0 : stageName === 'Won' ? won : engagedIndex;
    deals.push({
      line: row.line,
      draft: {
        externalId,
        owner: owner(agent),
        customer: (cleanName(account) || NO_ACCOUNT).slice(0, 200),
        amountMinor: amount,
        currency: 'USD',
        type: 'new',
        status,
        stage,
        maxStageIndex,
        createdAt,
        createdAtIsFallback,
        closedAt,
        lostReason: null,
        discountMinor: null,
        recurringMonthlyMinor: null,
        notes: product ? `Product: ${product}` : null,
      },
    });
  }

  // What was read, and the rules applied (always reported, so the numbers can be traced).
  notes.push(`Dates are calendar days, stored at ${DATE_ONLY_LOCAL_TIME} in the workspace's time zone (${ctx.timeZone}).`);
  notes.push(`Stages: Prospecting → ${leadStage} (0), Engaging → ${engagedStage} (${engagedIndex}), Won → won (${won}), Lost → lost.`);
  if (noAccount > 0) notes.push(`${plural(noAccount, 'row')} without an account: customer recorded as "${NO_ACCOUNT}".`);
  if (undated > 0) {
    const by = [...undatedByStage.entries()].map(([s, n]) => `${count(n)} ${s}`).join(', ');
    notes.push(`${plural(undated, 'open lead')} without engage_date (${by}): entered the funnel on ${fallbackLabel}; their real lead date is unknown.`);
  }
  if (closedUndated > 0) notes.push(`${plural(closedUndated, 'closed deal')} without engage_date: entered the funnel on their close date.`);
  if (lost > 0) {
    notes.push(
      `${plural(lost, 'Lost deal')}: amount ${lostWithValue === 0 ? '0 as in the file (Lost rows carry close_value 0)' : 'as in the file'}; furthest stage not recorded, counted as having reached "${engagedStage}" (they were engaged).`,
    );
  }
  if (openWithoutValue > 0) notes.push(`${plural(openWithoutValue, 'open deal')} without close_value: amount recorded as 0 (pipeline value unknown).`);
  notes.push('No deal type or recurring amount in this data: every deal is "new"; MRR/ARR and the new/upsell/renewal mix cannot be derived.');
  if (productRows.size > 0) notes.push('The product is kept in the deal notes ("Product: …"), spelled as in the file.');

  // products.csv: check the pipeline's product names against the catalogue.
  if (side.products) {
    const catalogue = new Map<string, string>();
    for (const r of side.products.rows) {
      const name = clean(r.values['product']);
      if (name) catalogue.set(name, name);
    }
    const bySquash = new Map([...catalogue.keys()].map((n) => [squash(n), n]));
    for (const [product, n] of productRows) {
      if (catalogue.has(product)) continue;
      const near = bySquash.get(squash(product));
      warnings.push(
        near
          ? `${plural(n, 'row')} spell the product "${product}"; ${side.products.file} spells it "${near}". Kept as written in the deal notes.`
          : `${plural(n, 'row')} name the product "${product}", which ${side.products.file} does not list. Kept as written.`,
      );
    }
  }

  // accounts.csv: check account names; point out sector spellings that look like typos.
  if (side.accounts) {
    const known = new Set(side.accounts.rows.map((r) => clean(r.values['account'])).filter(Boolean));
    const unknown = [...accountNames].filter((a) => !known.has(a));
    if (unknown.length > 0) warnings.push(`${plural(unknown.length, 'account')} in the pipeline are not in ${side.accounts.file}: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}.`);
    const sectors = new Map<string, number>();
    for (const r of side.accounts.rows) {
      const s = clean(r.values['sector']).toLowerCase();
      if (s) sectors.set(s, (sectors.get(s) ?? 0) + 1);
    }
    for (const [sector, n] of sectors) {
      if (KNOWN_SECTORS.includes(sector)) continue;
      const near = KNOWN_SECTORS.find((k) => editDistance(sector, k) <= 2);
      if (near) {
        warnings.push(`${side.accounts.file}: sector "${sector}" (${plural(n, 'account')}) looks like a misspelling of "${near}". Kept as written; ${side.accounts.file} is only used to check account names, nothing from it is stored.`);
      }
    }
  }

  // sales_teams.csv: one team per regional office and manager; reps who own deals join them.
  const teams: string[] = [];
  const roster: TRosterEntry[] = [];
  if (side.salesTeams) {
    const file = side.salesTeams.file;
    const teamOf = new Map<string, { team: string; line: number }>();
    for (const r of side.salesTeams.rows) {
      const agent = clean(r.values['sales_agent']);
      const manager = clean(r.values['manager']);
      const office = clean(r.values['regional_office']);
      const blank = !agent ? 'sales_agent' : !manager ? 'manager' : !office ? 'regional_office' : null;
      if (blank) {
        issues.push({ file, line: r.line, field: blank, kind: 'missing', message: `${blank} is empty` });
        continue;
      }
      const team = mavenTeamName(office, manager);
      const before = teamOf.get(agent);
      if (before && before.team !== team) {
        issues.push({ file, line: r.line, field: 'sales_agent', kind: 'two teams', message: `${agent} is already on team ${before.team} (line ${before.line})` });
        continue;
      }
      teamOf.set(agent, { team, line: r.line });
      if (!teams.includes(team)) teams.push(team);
    }
    const withoutDeals: string[] = [];
    for (const [agent, { team, line }] of teamOf) {
      if (agentsWithDeals.has(agent)) roster.push({ owner: owner(agent), team, file, line });
      else withoutDeals.push(agent);
    }
    notes.push(`${plural(teams.length, 'team')} from ${file}, one per regional office and manager; managers name the teams and are not created as reps.`);
    if (withoutDeals.length > 0) {
      warnings.push(`${plural(withoutDeals.length, 'agent')} in ${file} have no deals and were not created as reps: ${withoutDeals.join(', ')}.`);
    }
    const noTeam = [...agentsWithDeals].filter((a) => !teamOf.has(a));
    if (noTeam.length > 0) warnings.push(`${plural(noTeam.length, 'agent')} with deals are not in ${file}, so they are on no team: ${noTeam.slice(0, 10).join(', ')}.`);
  } else {
    notes.push('sales_teams.csv not given: reps are not put on teams.');
  }

  return { deals, issues, fileErrors, teams, roster, notes, warnings };
}
