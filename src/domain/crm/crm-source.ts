/**
 * The port every CRM connector implements (issue #10). Connectors live in `src/crm/<vendor>/` (an
 * adapter layer like slack/: they may import domain types, domain never imports them) and talk to
 * the vendor through its official Node client pointed at a configurable base URL; the sync use case
 * (`domain/crm/`) only sees these plain types.
 *
 * Amounts stay the vendor's decimal text (`"12000.50"`) plus an ISO 4217 code: the domain turns them
 * into integer minor units with the currency's own digits, so no float ever touches money.
 */

export type TCrmVendor = 'hubspot' | 'pipedrive' | 'salesforce';

/** A funnel stage as the CRM orders it. */
export interface TCrmStage {
  /** The vendor's stage id (HubSpot stage id, Pipedrive stage id as text, Salesforce StageName). */
  id: string;
  pipelineId: string | null;
  pipelineLabel: string | null;
  label: string;
  /** Position in its pipeline, 0-based, in the CRM's display order. */
  order: number;
  /** Closed-won stage (HubSpot `isClosed` + probability 1, Salesforce IsWon, Pipedrive's won status). */
  isWon: boolean;
  /** Closed (won or lost). */
  isClosed: boolean;
}

export interface TCrmOwner {
  id: string;
  email: string | null;
  name: string | null;
  active: boolean;
}

/** When a deal entered a stage (HubSpot property history, Pipedrive stage changes, OpportunityHistory). */
export interface TCrmStageEntry {
  stageId: string;
  enteredAt: Date;
}

export interface TCrmDeal {
  /** The vendor's record id: the deal's identity here (`Deal.externalId` with the vendor as source). */
  crmId: string;
  /** Deal title as typed in the CRM. */
  title: string;
  /** Company / organization / account name when the CRM links one; the title otherwise. */
  customer: string;
  /** Decimal text in major units as the CRM holds it (`"12000.5"`), or null when empty. */
  amount: string | null;
  /** ISO 4217 code of the amount; null means the portal's/org's default currency. */
  currency: string | null;
  pipelineId: string | null;
  stageId: string | null;
  /** Status as the CRM states it; the mapping may still derive it from the stage. */
  status: 'open' | 'won' | 'lost';
  ownerId: string | null;
  createdAt: Date;
  /** Close date of a closed deal (HubSpot closedate, Pipedrive won_time/lost_time/close_time, CloseDate). */
  closedAt: Date | null;
  /** new / upsell / renewal when the CRM carries a deal type (HubSpot dealtype, Salesforce Type). */
  type: 'new' | 'upsell' | 'renewal' | null;
  /** Monthly recurring amount, decimal text, when a field holds one (HubSpot hs_mrr…). */
  recurringMonthly: string | null;
  lostReason: string | null;
  /** The vendor's last-modified time, used as the incremental watermark. */
  modifiedAt: Date;
  /**
   * When the deal entered its current stage, when the CRM says so without a full history (Pipedrive
   * `stage_change_time`): the time of a stage move the sync observes. Absent or null: `modifiedAt`.
   */
  stageChangedAt?: Date | null;
  /** Stage history, oldest first, when the page carries it; null when the connector cannot tell. */
  stageHistory: TCrmStageEntry[] | null;
  /** Link to the record in the CRM's own UI. */
  url: string | null;
}

/** A record that left the CRM: deleted, or merged into another (`mergedIntoCrmId`). */
export interface TCrmRemoval {
  crmId: string;
  removedAt: Date;
  mergedIntoCrmId: string | null;
}

/** API use against the vendor's limits, as last reported by its headers. */
export interface TCrmUsage {
  /** Calls made by this connector instance. */
  calls: number;
  /** Remaining calls in the daily window, when the vendor reports it. */
  dailyRemaining: number | null;
  dailyLimit: number | null;
  /** Times a 429 was answered and waited out (Retry-After honoured). */
  throttled: number;
}

/** One page of changes; the sync commits `deals`, `removals` and `cursor` in one transaction. */
export interface TCrmPage {
  deals: TCrmDeal[];
  removals: TCrmRemoval[];
  /**
   * Opaque, JSON-safe text to resume from (the vendor's page token plus the modified-since
   * watermark). Passing it back to `pullChanges` continues exactly after this page.
   */
  cursor: string;
  /** True when this was the last page of the current run; `cursor` is then the next run's start. */
  done: boolean;
  /** Rough progress of a full load, when the vendor gives a total. */
  total: number | null;
}

export interface TPullOptions {
  /** null: a full load from the beginning; otherwise the last committed cursor. */
  cursor: string | null;
  /** The caller's clock (tests inject it). */
  now: Date;
  signal?: AbortSignal;
}

/** A change made in Slack written back to the CRM (opt-in per workspace). */
export interface TCrmWriteBack {
  crmId: string;
  status?: 'won' | 'lost';
  stageId?: string;
  amount?: string;
  currency?: string;
  closedAt?: Date;
  lostReason?: string;
}

export interface TCrmSource {
  readonly vendor: TCrmVendor;
  listStages(signal?: AbortSignal): Promise<TCrmStage[]>;
  listOwners(signal?: AbortSignal): Promise<TCrmOwner[]>;
  /**
   * The account's web address for links to its records, when the connector has to ask the CRM for
   * it (Pipedrive: `https://<company_domain>.pipedrive.com` from `GET /v1/users/me`); null when the
   * CRM does not say. The sync asks once per connection and stores it (`CrmConnection.appUrl`).
   */
  accountAppUrl?(signal?: AbortSignal): Promise<string | null>;
  /** The next page of deals changed since the cursor (every deal when the cursor is null). */
  pullChanges(options: TPullOptions): Promise<TCrmPage>;
  /** Writes a Slack-side change back; undefined when the vendor's connector does not support it. */
  writeBack?(change: TCrmWriteBack, signal?: AbortSignal): Promise<void>;
  usage(): TCrmUsage;
}

/** Why a connector call failed, in words an admin can act on; the sync stores and reports it. */
export type TCrmFailureKind = 'auth' | 'rate-limited' | 'unavailable' | 'bad-response';

export class CrmSourceError extends Error {
  constructor(
    readonly kind: TCrmFailureKind,
    message: string,
    /** Seconds the vendor asked us to wait (Retry-After), when it did. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'CrmSourceError';
  }
}
