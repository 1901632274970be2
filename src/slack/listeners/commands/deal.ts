import type { App, SlashCommand } from '@slack/bolt';
import { parseDealCommand } from '../../../domain/deals/parse-deal-command.js';
import { findLostTargetOrNew, moveDealStage, recordLostDeal, recordWonDeal } from '../../../domain/deals/quick-actions.js';
import { recordLead } from '../../../domain/deals/record-lead.js';
import { buildLeadConfirmation } from '../../blocks/lead-messages.js';
import { funnelStages, parseStage, stageLabel } from '../../../domain/deals/stages.js';
import { CATALOGS, t, type TMessageKey } from '../../../i18n/t.js';
import { undoLastChange } from '../../../domain/deals/undo-last-change.js';
import { CURRENCIES } from '../../../domain/money.js';
import { localParts } from '../../../domain/periods.js';
import { buildDealModal } from '../../blocks/deal-modal.js';
import { buildDealConfirmation, buildDealHelp, buildWonAnnouncement } from '../../blocks/deal-messages.js';
import { buildUndoAnswer } from '../../blocks/refund-messages.js';
import { handleRefundCommand } from './deal-refund.js';
import { buildErrorMessage, withTypedText } from '../../blocks/messages.js';
import { authorisedTeamId, findMember, memberFor, readerFor, type AppDeps } from '../../context.js';
import { findRepById } from '../../../domain/workspaces/lookups.js';
import { ackOnce, answerFitsInAck } from '../ack-once.js';
import { AppError } from '../../../errors.js';
import { responseBody, type SlackMessage, type TResponseMessage } from '../../gateway.js';
import { commandRequestKey } from '../../request-keys.js';
import { handleSubscriptionCommand } from './deal-subscription.js';
import { gateCrmDeal, withCrmNote, type TCrmDealGate } from './deal-crm.js';
import type { Deal, Rep, Workspace } from '../../../storage/models.js';
import { localeOf, workspaceLocale } from '../../locale-of.js';
import { DEFAULT_LOCALE, type TLocale } from '../../../i18n/locales.js';

export function todayIn(now: Date, timeZone: string): string {
  const p = localParts(now, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/**
 * `/deal …`: opens the modal or runs a one-line quick form, answering privately. A change is
 * committed before the command is acknowledged (`ack` runs with the first answer), so nothing
 * Slack saw acknowledged can be lost; refusals write nothing and need no Slack lookup.
 */
export async function handleDealCommand(
  deps: AppDeps,
  command: SlashCommand,
  ack: (body?: Record<string, unknown>) => Promise<void> = async () => undefined,
  receivedAt: number = performance.now(),
): Promise<void> {
  const { slack } = deps;
  const acknowledge = ackOnce(ack);
  // The first answer rides in the acknowledgement (one HTTP call fewer per logged deal, and the
  // user sees it sooner) unless it is late; then it goes to the response_url like the others.
  const reply = async (m: TResponseMessage) => {
    if (answerFitsInAck(acknowledge.done(), performance.now() - receivedAt)) {
      await acknowledge(responseBody(m));
      return;
    }
    await acknowledge();
    await slack.respond(command.response_url, m);
  };
  // Refusals before the member is known are answered in English; then in the asker's language.
  let locale: TLocale = DEFAULT_LOCALE;
  try {
    const known = await findMember(deps, command.team_id, command.user_id);
    locale = localeOf(known);
    // After the first contact the rep carries their Slack locale: answer in it.
    const as = <T extends { rep: Rep; workspace: Workspace }>(m: T): T => {
      locale = localeOf(m);
      return m;
    };
    // Amounts in the asker's number form (`1.200 USD` is 1,200 for a Vietnamese reader); someone the
    // app has not met yet is read, like answered, in the workspace's language.
    const parsed = parseDealCommand(command.text ?? '', known.workspace?.currency ?? deps.config.CURRENCY_DEFAULT, locale);
    const now = deps.now();
    const bind = { teamId: command.team_id, userId: command.user_id };
    // The Undo button's deal id is sealed for this team and user (see sealed-values.ts).
    const undoValue = (deal: Deal) => deps.sealer.seal('undo', bind, String(deal.id));
    switch (parsed.kind) {
      case 'help':
        await reply(buildDealHelp(locale));
        return;
      case 'modal': {
        await acknowledge();
        const view = buildDealModal({
          stages: funnelStages(known.workspace?.funnelStages ?? ''),
          currencies: Object.keys(CURRENCIES),
          defaultCurrency: known.workspace?.currency ?? deps.config.CURRENCY_DEFAULT,
          userId: command.user_id,
          today: todayIn(now, known.workspace?.timeZone ?? deps.config.TZ_DEFAULT),
          meta: { channelId: command.channel_id },
          seal: (json) => deps.sealer.seal('deal-modal', bind, json),
          locale,
        });
        try {
          await slack.openModal(command.trigger_id, view);
        } catch (e) {
          deps.logger.warn('deal form not opened', { error: e instanceof Error ? e.message : String(e) });
          throw new AppError('SLACK_UNREACHABLE', "I couldn't open the deal form because Slack did not answer in time. Please run `/deal` again, or log it in one line.", { example: '/deal won 12k Acme', i18n: { key: 'error.deal.modalNotOpened' } });
        }
        return;
      }
      case 'undo': {
        // Someone the app has never met has nothing to undo: no record is created to say so.
        if (!known.rep) throw new AppError('NOTHING_TO_UNDO', 'You have no deal change left to undo.', { i18n: { key: 'error.deal.nothingToUndo' } });
        const undone = await undoLastChange({ db: deps.db, actor: known.rep, now, requestKey: commandRequestKey(command) });
        await reply(buildUndoAnswer(undone, locale));
        return;
      }
      case 'lost': {
        // Someone the app has never met owns no deal: find out whether the change would go
        // through (no open deal, someone else's) before anything is recorded about them.
        // (Refusals such as a deal someone else owns, or a reason too long.)
        if (!known.rep && known.workspace) {
          const { rep: standIn } = await readerFor(deps, command.team_id, command.user_id, known);
          await findLostTargetOrNew(deps.db, standIn, parsed.candidates);
        }
        const { workspace, rep } = as(await memberFor(deps, command.team_id, command.user_id));
        // A deal the CRM owns: written back first, or refused with nothing written.
        const gate = await gateCrmDeal(deps, rep, { kind: 'lost', candidates: parsed.candidates }, locale);
        if (gate.kind === 'answer') return await reply(gate.message);
        const result = await recordLostDeal({ ...changeBase(deps, command, workspace, rep, now), candidates: parsed.candidates });
        const verb = result.outcome === 'created' ? 'lostCreated' : 'lost';
        await reply(withCrmNote(buildDealConfirmation({ deal: result.deal, owner: await ownerOf(deps, result.deal, rep), verb, timeZone: workspace.timeZone, undoValue: undoValue(result.deal), locale }), gate.note));
        return;
      }
      case 'lead': {
        const { workspace, rep } = as(await memberFor(deps, command.team_id, command.user_id));
        const result = await recordLead({ ...changeBase(deps, command, workspace, rep, now), customer: parsed.customer, source: parsed.source });
        await reply(buildLeadConfirmation({ deal: result.deal, stageName: stageName(result.deal.stage, locale), duplicate: result.duplicate, undoValue: undoValue(result.deal), locale }));
        return;
      }
      case 'won': {
        const { workspace, rep } = as(await memberFor(deps, command.team_id, command.user_id));
        const gate = await gateCrmDeal(deps, rep, { kind: 'won', customer: parsed.customer, amountMinor: parsed.amountMinor, currency: parsed.currency }, locale);
        if (gate.kind === 'answer') return await reply(gate.message);
        const result = await recordWonDeal({ ...changeBase(deps, command, workspace, rep, now), ...openOf(gate), customer: parsed.customer, amountMinor: parsed.amountMinor, currency: parsed.currency, type: parsed.type });
        const owner = await ownerOf(deps, result.deal, rep);
        await reply(withCrmNote(buildDealConfirmation({ deal: result.deal, owner, verb: 'won', timeZone: workspace.timeZone, duplicate: result.duplicate, undoValue: undoValue(result.deal), locale }), gate.note));
        // The channel reads the workspace's language, whoever logged the deal.
        if (!result.duplicate) await announce(deps, command.channel_id, () => buildWonAnnouncement(result.deal, owner, workspaceLocale(workspace)));
        return;
      }
      case 'refund':
        // Committed (or refused, nothing written) before the answer acks the command.
        await reply(await handleRefundCommand(deps, command, parsed, known, now, (l) => (locale = l)));
        return;
      case 'churn':
      case 'mrr':
        await handleSubscriptionCommand(deps, command, parsed, now, reply, (l) => (locale = l));
        return;
      case 'stage': {
        const stages = funnelStages(known.workspace?.funnelStages ?? '');
        const stage = parseStage(parsed.stage, stages, locale);
        const { workspace, rep } = as(await memberFor(deps, command.team_id, command.user_id));
        const gate = await gateCrmDeal(deps, rep, { kind: 'stage', customer: parsed.customer, stage, amountMinor: parsed.amountMinor, currency: parsed.currency }, locale);
        if (gate.kind === 'answer') return await reply(gate.message);
        const result = await moveDealStage({ ...changeBase(deps, command, workspace, rep, now), ...openOf(gate), customer: parsed.customer, stage, amountMinor: parsed.amountMinor, currency: parsed.currency });
        await reply(withCrmNote(buildDealConfirmation({ deal: result.deal, owner: await ownerOf(deps, result.deal, rep), verb: result.outcome === 'created' ? 'opened' : 'moved', timeZone: workspace.timeZone, duplicate: result.duplicate, undoValue: undoValue(result.deal), locale }), gate.note));
        return;
      }
    }
  } catch (e) {
    deps.logger.warn('/deal refused', { code: (e as { code?: string }).code, error: e instanceof Error ? e.message : String(e) });
    await reply(withTypedText(buildErrorMessage(e, locale), `/deal ${command.text ?? ''}`, locale)).catch((err: unknown) => deps.logger.error('could not answer /deal', { error: err }));
  } finally {
    await acknowledge();
  }
}

/** A stage's name in a language (a workspace's own stage as stored). */
function stageName(key: string, locale: TLocale): string {
  return `stage.${key}` in CATALOGS.en ? t(locale, `stage.${key}` as TMessageKey) : stageLabel(key);
}

/** What every quick form's change needs: the request key makes a repeated delivery a no-op. */
function changeBase(deps: AppDeps, command: SlashCommand, workspace: Workspace, rep: Rep, now: Date) {
  return { db: deps.db, workspace, actor: rep, now, requestKey: commandRequestKey(command), channelId: command.channel_id };
}

/** The open deal the CRM gate already read, handed to the write so it is not read twice. */
function openOf(gate: TCrmDealGate): { open?: Deal | null } {
  return gate.kind === 'proceed' && gate.open !== undefined ? { open: gate.open } : {};
}

/** The deal's owner: a manager closing a rep's deal credits the rep, not themselves. */
async function ownerOf(deps: AppDeps, deal: Deal, actor: Rep): Promise<Rep> {
  return deal.ownerId === actor.id ? actor : findRepById({ db: deps.db, workspaceId: deal.workspaceId, repId: deal.ownerId });
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
  app.command('/deal', async ({ command, ack, context }) => {
    const receivedAt = performance.now();
    // Everything below reads `command.team_id`: pinned to the team the request was authorised for.
    await handleDealCommand(deps, { ...command, team_id: authorisedTeamId(context) }, (body) => (body ? ack(body) : ack()), receivedAt);
  });
}
