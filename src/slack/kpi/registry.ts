import type { SlashCommand } from '@slack/bolt';
import type { TMember } from '../../domain/workspaces/ensure-member.js';
import type { AppDeps } from '../context.js';
import type { SlackMessage } from '../gateway.js';
import type { TMessageKey } from '../../i18n/t.js';

/**
 * A `/kpi` subcommand. It gets the words after its name and returns the private answer (or
 * nothing when it answered itself, e.g. by opening a modal). Throwing an AppError makes the
 * router answer privately with the message, an example and what the user typed.
 */
export interface TKpiSubcommandArgs {
  deps: AppDeps;
  command: SlashCommand;
  member: TMember;
  args: string[];
}

export interface TKpiSubcommand {
  names: string[];
  /** One help line: usage and what it does (English). */
  help: string;
  /** The help line's catalog key, for `/kpi help` in the reader's language. */
  helpKey?: TMessageKey;
  run(a: TKpiSubcommandArgs): Promise<SlackMessage | void>;
  /**
   * True when these words (after the name) change nothing: the router acknowledges at once and
   * answers for the sender as `readerFor` sees them, recording nobody. Absent: the words may change
   * something, acknowledged only once it is committed.
   */
  readsOnly?(args: readonly string[]): boolean;
}
