import { AppError } from '../../errors.js';
import type { Rep, Workspace } from '../../storage/models.js';
import type { Db } from '../../storage/db.js';
import { normalizeLeadSource } from '../leads/lead-count-key.js';
import { oncePerRequest } from '../once-per-request.js';
import { findOpenDeal } from './find-open-deal.js';
import { logDeal, type TLoggedDeal } from './log-deal.js';
import { funnelStages, stageLabel } from './stages.js';

export interface RecordLeadOptions {
  db: Db;
  workspace: Workspace;
  actor: Rep;
  customer: string;
  /** Where the lead came from (web, referral…); normalised here. */
  source: string | null;
  now: Date;
  requestKey: string | null;
  channelId: string | null;
}

/**
 * `/deal lead Acme [source]`: logs one lead. A lead is an open deal of the actor at the first
 * funnel stage, with no amount yet and its source in `Deal.leadSource`: it is created now, so
 * the funnel and the lead-conversion cohort of this period count it, and `/deal stage`, `/deal
 * won` and `/deal lost` move or close it like any deal (`/deal undo` removes it). A customer that
 * already has an open deal the actor may change is refused (it is a lead already: counting it
 * again would count one lead twice). Once per delivery: a repeat writes nothing (ALREADY_DONE).
 *
 * @example
 * const { deal } = await recordLead({ db, workspace, actor, customer: 'Acme', source: 'web', now, requestKey: 'cmd:1', channelId: 'C1' });
 * deal.stage; // 'lead' (the first funnel stage), deal.leadSource; // 'web'
 */
export function recordLead(opts: RecordLeadOptions): Promise<TLoggedDeal> {
  return oncePerRequest(
    { db: opts.db, workspaceId: opts.workspace.id, requestKey: opts.requestKey, now: opts.now, lookFirst: false },
    () => leadOnce(opts),
    (r) => r.duplicate,
  );
}

async function leadOnce(opts: RecordLeadOptions): Promise<TLoggedDeal> {
  const { db, workspace, actor, now } = opts;
  const source = normalizeLeadSource(opts.source, '/deal lead "Acme Corp" web');
  const open = await findOpenDeal(db, actor, opts.customer);
  if (open) {
    throw new AppError('CONFLICT', `${open.customer} already has an open deal (#${open.id}, at ${stageLabel(open.stage)}), so it is a lead already and nothing was logged. Move it with \`/deal stage\` or close it with \`/deal won\` / \`/deal lost\`.`, {
      example: `/deal stage ${/\s/.test(open.customer) ? `"${open.customer}"` : open.customer} demo`,
      i18n: { key: 'error.deal.alreadyLead', values: { customer: open.customer, id: open.id }, stages: { stage: { keys: [open.stage], separator: ', ', typed: false } } },
    });
  }
  const first = funnelStages(workspace.funnelStages)[0] ?? 'lead';
  return logDeal({
    db,
    workspace,
    actor,
    owner: actor,
    now,
    requestKey: opts.requestKey,
    source: 'slack-command',
    channelId: opts.channelId,
    leadSource: source,
    input: {
      customer: opts.customer,
      amountMinor: 0n,
      currency: workspace.currency,
      type: 'new',
      status: 'open',
      stage: first,
      closedAt: null,
      recurringMonthlyMinor: null,
      discountMinor: null,
      lostReason: null,
      notes: null,
    },
  });
}
