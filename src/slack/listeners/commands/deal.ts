import type { App, SlashCommand } from '@slack/bolt';
import { parseDealCommand } from '../../../domain/deals/parse-deal-command.js';
import { moveDealStage, recordLostDeal, recordWonDeal } from '../../../domain/deals/quick-actions.js';
import { funnelStages, parseStage } from '../../../domain/deals/stages.js';
import { undoLastChange } from '../../../domain/deals/undo-last-change.js';
import { CURRENCIES } from '../../../domain/money.js';
import { localParts } from '../../../domain/periods.js';
import { buildDealModal } from '../../blocks/deal-modal.js';
import { buildDealConfirmation, buildDealHelp, buildUndoConfirmation, buildWonAnnouncement } from '../../blocks/deal-messages.js';
import { buildErrorMessage, withTypedText } from '../../blocks/messages.js';
import { memberFor, type AppDeps } from '../../context.js';
import type { SlackMessage } from '../../gateway.js';
import type { Deal, Rep } from '../../../generated/sqlite/client.js';

export function todayIn(now: Date, timeZone: string): string {
  const p = localParts(now, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** `/deal …`: opens the modal or runs a one-line quick form, answering privately. */
export async function handleDealCommand(deps: AppDeps, command: SlashCommand): Promise<void> {
  const { slack } = deps;
  const reply = (m: Parameters<typeof slack.respond>[1]) => slack.respond(command.response_url, m);
  try {
    const { workspace, rep } = await memberFor(deps, command.team_id, command.user_id);
    const parsed = parseDealCommand(command.text ?? '', workspace.currency);
    const now = deps.now();
    const bind = { teamId: command.team_id, userId: command.user_id };
    const undoValue = (deal: Deal) => deps.sealer.seal('undo', bind, String(deal.id));
    const base = { db: deps.db, workspace, actor: rep, now, requestKey: `cmd:${command.trigger_id}`, channelId: command.channel_id };
    switch (parsed.kind) {
      case 'help':
        await reply(buildDealHelp());
        return;
      case 'modal': {
        const view = buildDealModal({
          stages: funnelStages(workspace.funnelStages),
          currencies: Object.keys(CURRENCIES),
          defaultCurrency: workspace.currency,
          userId: command.user_id,
          today: todayIn(now, workspace.timeZone),
          meta: { channelId: command.channel_id },
          seal: (json) => deps.sealer.seal('deal-modal', bind, json),
        });
        await slack.openModal(command.trigger_id, view);
        return;
      }
      case 'undo': {
        const undone = await undoLastChange({ db: deps.db, actor: rep, now });
        await reply(buildUndoConfirmation(undone.action, undone.deal));
        return;
      }
      case 'won': {
        const result = await recordWonDeal({ ...base, customer: parsed.customer, amountMinor: parsed.amountMinor, currency: parsed.currency, type: parsed.type });
        const owner = await ownerOf(deps, result.deal, rep);
        await reply(buildDealConfirmation({ deal: result.deal, owner, verb: 'Won', timeZone: workspace.timeZone, duplicate: result.duplicate, undoValue: undoValue(result.deal) }));
        if (!result.duplicate) await announce(deps, command.channel_id, () => buildWonAnnouncement(result.deal, owner));
        return;
      }
      case 'lost': {
        const result = await recordLostDeal({ ...base, candidates: parsed.candidates });
        await reply(buildDealConfirmation({ deal: result.deal, owner: await ownerOf(deps, result.deal, rep), verb: 'Marked lost', timeZone: workspace.timeZone, undoValue: undoValue(result.deal) }));
        return;
      }
      case 'stage': {
        const stage = parseStage(parsed.stage, funnelStages(workspace.funnelStages));
        const result = await moveDealStage({ ...base, customer: parsed.customer, stage, amountMinor: parsed.amountMinor, currency: parsed.currency });
        await reply(buildDealConfirmation({ deal: result.deal, owner: await ownerOf(deps, result.deal, rep), verb: result.outcome === 'created' ? 'Opened' : 'Moved', timeZone: workspace.timeZone, duplicate: result.duplicate, undoValue: undoValue(result.deal) }));
        return;
      }
    }
  } catch (e) {
    deps.logger.warn('/deal refused', { code: (e as { code?: string }).code, error: e instanceof Error ? e.message : String(e) });
    await reply(withTypedText(buildErrorMessage(e), `/deal ${command.text ?? ''}`)).catch((err: unknown) => deps.logger.error('could not answer /deal', { error: err }));
  }
}

/** The deal's owner: a manager closing a rep's deal credits the rep, not themselves. */
async function ownerOf(deps: AppDeps, deal: Deal, actor: Rep): Promise<Rep> {
  return deal.ownerId === actor.id ? actor : deps.db.prisma.rep.findUniqueOrThrow({ where: { id: deal.ownerId } });
}

/** Announces in the channel; a channel the bot is not in is skipped, never an error to the user. */
export async function announce(deps: AppDeps, channelId: string | null | undefined, build: () => SlackMessage): Promise<void> {
  if (!channelId || channelId.startsWith('D')) return;
  try {
    await deps.slack.postMessage(channelId, build());
  } catch (e) {
    deps.logger.warn('won-deal announcement not posted', { channelId, error: e });
  }
}

export function registerDealCommand(app: App, deps: AppDeps): void {
  app.command('/deal', async ({ command, ack }) => {
    await ack();
    await handleDealCommand(deps, command);
  });
}
