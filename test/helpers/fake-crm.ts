import { CrmSourceError, type TCrmDeal, type TCrmOwner, type TCrmPage, type TCrmRemoval, type TCrmSource, type TCrmStage, type TCrmUsage, type TCrmVendor, type TPullOptions } from '../../src/domain/crm/crm-source.js';

/**
 * An in-memory CRM for the sync tests: a change log (every deal write and removal gets a sequence
 * number) read in pages of `pageSize` changes; the cursor is the last sequence number handed out,
 * so a page passed back continues exactly after itself, like a vendor's modified-since cursor.
 */
export class FakeCrm implements TCrmSource {
  readonly deals = new Map<string, TCrmDeal>();
  private log: Array<{ seq: number; kind: 'deal' | 'removal'; crmId: string; removal?: TCrmRemoval }> = [];
  private seq = 0;
  pulls = 0;
  /** Throws this on the pull with this number (1-based), once. */
  failOnPull: { pull: number; error: Error } | null = null;
  /** Awaited by listStages: lets a test hold a run while it holds the lease. */
  gate: Promise<void> | null = null;
  onListStages: (() => void | Promise<void>) | null = null;
  stages: TCrmStage[] = [
    { id: 'appointmentscheduled', pipelineId: 'default', pipelineLabel: 'Sales', label: 'Appointment scheduled', order: 0, isWon: false, isClosed: false },
    { id: 'qualifiedtobuy', pipelineId: 'default', pipelineLabel: 'Sales', label: 'Qualified to buy', order: 1, isWon: false, isClosed: false },
    { id: 'presentationscheduled', pipelineId: 'default', pipelineLabel: 'Sales', label: 'Demo scheduled', order: 2, isWon: false, isClosed: false },
    { id: 'contractsent', pipelineId: 'default', pipelineLabel: 'Sales', label: 'Contract sent', order: 3, isWon: false, isClosed: false },
    { id: 'closedwon', pipelineId: 'default', pipelineLabel: 'Sales', label: 'Closed won', order: 4, isWon: true, isClosed: true },
    { id: 'closedlost', pipelineId: 'default', pipelineLabel: 'Sales', label: 'Closed lost', order: 5, isWon: false, isClosed: true },
  ];
  owners: TCrmOwner[] = [
    { id: 'o1', email: 'Ann@Example.com', name: 'Ann Lee', active: true },
    { id: 'o2', email: 'bob@example.com', name: 'Bob Ray', active: true },
  ];

  constructor(
    readonly vendor: TCrmVendor = 'hubspot',
    public pageSize = 10,
  ) {}

  /** Creates or changes a deal (a change-log entry). */
  put(deal: Partial<TCrmDeal> & { crmId: string }): TCrmDeal {
    const previous = this.deals.get(deal.crmId);
    const at = deal.modifiedAt ?? new Date('2026-11-01T00:00:00Z');
    const full: TCrmDeal = {
      title: `Deal ${deal.crmId}`,
      customer: `Customer ${deal.crmId}`,
      amount: '1000',
      currency: 'USD',
      pipelineId: 'default',
      stageId: 'appointmentscheduled',
      status: 'open',
      ownerId: 'o1',
      createdAt: new Date('2026-09-01T00:00:00Z'),
      closedAt: null,
      type: null,
      recurringMonthly: null,
      lostReason: null,
      stageHistory: null,
      url: null,
      ...previous,
      ...deal,
      modifiedAt: at,
    };
    this.deals.set(full.crmId, full);
    this.log.push({ seq: ++this.seq, kind: 'deal', crmId: full.crmId });
    return full;
  }

  remove(crmId: string, mergedIntoCrmId: string | null = null): void {
    this.deals.delete(crmId);
    this.log.push({ seq: ++this.seq, kind: 'removal', crmId, removal: { crmId, removedAt: new Date('2026-11-02T00:00:00Z'), mergedIntoCrmId } });
  }

  async listStages(): Promise<TCrmStage[]> {
    await this.onListStages?.();
    if (this.gate) await this.gate;
    return this.stages;
  }

  async listOwners(): Promise<TCrmOwner[]> {
    return this.owners;
  }

  async pullChanges(options: TPullOptions): Promise<TCrmPage> {
    this.pulls++;
    if (this.failOnPull && this.failOnPull.pull === this.pulls) {
      const { error } = this.failOnPull;
      this.failOnPull = null;
      throw error;
    }
    const after = options.cursor === null ? 0 : Number(JSON.parse(options.cursor).seq);
    const entries = this.log.filter((e) => e.seq > after).slice(0, this.pageSize);
    const last = entries.at(-1)?.seq ?? after;
    const deals: TCrmDeal[] = [];
    const removals: TCrmRemoval[] = [];
    for (const e of entries) {
      if (e.kind === 'removal' && e.removal) removals.push(e.removal);
      else {
        const d = this.deals.get(e.crmId);
        if (d) deals.push(d);
      }
    }
    return { deals, removals, cursor: JSON.stringify({ seq: last }), done: !this.log.some((e) => e.seq > last), total: options.cursor === null ? this.log.length : null };
  }

  usage(): TCrmUsage {
    return { calls: this.pulls, dailyRemaining: 1000 - this.pulls, dailyLimit: 1000, throttled: 0 };
  }
}

export { CrmSourceError };
