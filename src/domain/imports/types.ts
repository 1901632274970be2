import type { TDealStatus, TDealType } from '../deals/schemas.js';

/** One CSV record: its values by header name and the (1-based) line it starts on; the header is line 1. */
export interface TCsvRow {
  readonly line: number;
  readonly values: Readonly<Record<string, string>>;
}

/** A parsed CSV file. */
export interface TCsvTable {
  /** File name for messages. */
  readonly file: string;
  readonly columns: readonly string[];
  readonly rows: readonly TCsvRow[];
  /** Records whose field count differs from the header's (not in `rows`). */
  readonly malformed: readonly TRowIssue[];
  /** Line endings seen in the file. */
  readonly lineEndings: 'crlf' | 'lf' | 'mixed' | 'none';
}

/** Who owns a deal, as the file names them. Resolution order: Slack user id, import key, then (if allowed) a unique name. */
export interface TOwnerRef {
  /** Stable key for reps created by import, e.g. `maven:Anna Snelling`. */
  readonly importKey: string;
  readonly name: string;
  /** When the file names a Slack user (`U0123ABCD`), that rep must exist. */
  readonly slackUserId: string | null;
  /** Link to an existing rep with exactly this name (case-insensitive) when no rep has the key yet. */
  readonly matchByName: boolean;
}

/** A deal as a mapping reads it from one row, before owners and currencies are resolved. */
export interface TDealDraft {
  readonly externalId: string;
  /** Where the deal comes from (`Deal.source`): the CRM of an export (`salesforce`…); default `import`. */
  readonly source?: string;
  readonly owner: TOwnerRef;
  readonly customer: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly type: TDealType;
  readonly status: TDealStatus;
  /** Open stage key, or 'won' / 'lost'. */
  readonly stage: string;
  readonly maxStageIndex: number;
  readonly createdAt: Date;
  /**
   * True when the row had no usable date and `createdAt` is the mapping's fallback: the fallback
   * never overwrites the date of a deal already stored (so re-imports stay idempotent).
   */
  readonly createdAtIsFallback: boolean;
  readonly closedAt: Date | null;
  readonly lostReason: string | null;
  readonly discountMinor: bigint | null;
  readonly recurringMonthlyMinor: bigint | null;
  readonly notes: string | null;
  /** Subscription start when the file gives one (default: `closedAt` of a won recurring deal). */
  readonly subscriptionStart?: Date | null;
  /** Subscription end (churn) when the file gives one; a stored end is kept when it does not. */
  readonly subscriptionEnd?: Date | null;
  /**
   * Changes of the monthly amount (same currency as the deal), when the file has the column: the
   * stored imported changes of the deal are made to match (added, changed, removed). Undefined
   * without the column: stored changes are left alone.
   */
  readonly mrrChanges?: ReadonlyArray<{ readonly effectiveAt: Date; readonly monthlyMinor: bigint }>;
}

/**
 * A refund as a mapping reads it from one row (`record_type=refund` in the generic mapping), before
 * its deal and currency are resolved. Its deal is named by `dealExternalId`, or else found as the
 * customer's only won deal.
 */
export interface TRefundDraft {
  /** The refund's own id in the source system (refunds have their own namespace). */
  readonly externalId: string;
  readonly dealExternalId: string | null;
  readonly customer: string | null;
  readonly amountMinor: bigint;
  readonly currency: string;
  /** When it happened: it counts against net revenue of that period. */
  readonly refundedAt: Date;
  readonly reason: string | null;
}

/** Why a row (or a line of a side file) cannot be imported. */
export interface TRowIssue {
  readonly file: string;
  readonly line: number;
  /** Column the problem is in ('row' for the record as a whole). */
  readonly field: string;
  /** Short, stable reason used for grouping ("missing", "not an amount", …). */
  readonly kind: string;
  /** Full explanation for a person, naming the value. */
  readonly message: string;
}

/** Workspace facts a mapping needs. */
export interface TMappingContext {
  readonly file: string;
  readonly columns: readonly string[];
  /** The workspace's ordered open funnel stages (won/lost implicit). */
  readonly stages: readonly string[];
  readonly timeZone: string;
  /** Reporting currency (default for amounts without one). */
  readonly currency: string;
  readonly now: Date;
}

/** A rep's team according to a roster file. */
export interface TRosterEntry {
  readonly owner: TOwnerRef;
  readonly team: string;
  readonly file: string;
  readonly line: number;
}

export interface TMappedRows {
  readonly deals: ReadonlyArray<{ readonly line: number; readonly draft: TDealDraft }>;
  /** Refund rows (generic mapping only; absent means none). */
  readonly refunds?: ReadonlyArray<{ readonly line: number; readonly draft: TRefundDraft }>;
  /** Rows that cannot be imported (the deals file and any side file). */
  readonly issues: readonly TRowIssue[];
  /** Problems with a whole file (missing columns…): always refused, even with skipInvalid. */
  readonly fileErrors: readonly string[];
  /** Teams to exist (by name), e.g. one per regional office and manager. */
  readonly teams: readonly string[];
  /** Team membership of reps. Reps are only created for owners of deals; see the mapping. */
  readonly roster: readonly TRosterEntry[];
  /** Facts about how the data was read (counts of fallbacks, defaults). */
  readonly notes: readonly string[];
  /** Data-set quirks a person should know about. */
  readonly warnings: readonly string[];
}

/** Maps the rows of one deals file. Pure: no database access. */
export interface TImportMapping {
  readonly name: string;
  map(rows: readonly TCsvRow[], ctx: TMappingContext): TMappedRows;
}

/** Skipped (or refusing) rows grouped by reason. */
export interface TIssueGroup {
  readonly file: string;
  readonly field: string;
  readonly kind: string;
  readonly count: number;
  /** The first few line numbers. */
  readonly lines: readonly number[];
  /** The message of the first row, as an example. */
  readonly example: string;
}

export interface TImportReport {
  readonly file: string;
  readonly mapping: string;
  readonly dryRun: boolean;
  /** True when nothing was written because of invalid input (see `issues` / `fileErrors`). */
  readonly refused: boolean;
  readonly workspace: {
    readonly slackTeamId: string;
    readonly id: number | null;
    readonly name: string;
    /** Created by this import (or would be, in a dry run). */
    readonly created: boolean;
  };
  readonly rowsRead: number;
  /** New deals written (or that would be, in a dry run). */
  readonly imported: number;
  /** Existing deals (same external id) whose data changed, updated in place. */
  readonly updated: number;
  /** Existing deals identical to the row: nothing to do. */
  readonly unchanged: number;
  /** Refund rows: new, updated in place (same external id, other data), identical. */
  readonly refunds: { readonly imported: number; readonly updated: number; readonly unchanged: number };
  /** Invalid rows skipped (skipInvalid), or that caused the refusal. */
  readonly skipped: number;
  readonly skippedReasons: readonly TIssueGroup[];
  /** Every invalid row (all files), in file and line order. */
  readonly issues: readonly TRowIssue[];
  readonly fileErrors: readonly string[];
  readonly repsCreated: number;
  readonly repNamesCreated: readonly string[];
  readonly teamsCreated: number;
  /** Existing reps put on (or moved to) the team the roster names. */
  readonly repsAssignedToTeams: number;
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
  readonly elapsedMs: number;
}
