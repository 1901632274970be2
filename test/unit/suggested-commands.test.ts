import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors.js';
import { englishKpiTokens } from '../../src/domain/command-aliases.js';
import { parseDealCommand } from '../../src/domain/deals/parse-deal-command.js';
import { buildDealHelp } from '../../src/slack/blocks/deal-messages.js';
import { buildKpiHelp, KPI_SUBCOMMANDS } from '../../src/slack/listeners/commands/kpi.js';
import type { TKpiSubcommandArgs } from '../../src/slack/kpi/registry.js';

/**
 * No answer suggests a command the app does not have: every `/kpi X` and `/deal X` that the app's
 * own text, its help and the README name must be a subcommand the real router (`KPI_SUBCOMMANDS`)
 * or the real `/deal` parser accepts. Read from the code itself, so a subcommand added to the
 * registry or the parser is accepted as soon as it exists, and a suggestion naming one that does
 * not exist fails here.
 */

const ROOT = join(import.meta.dirname, '..', '..');

interface TMention {
  readonly command: '/kpi' | '/deal';
  readonly word: string;
  /** The word after it (`set` in `/kpi alerts set …`), when there is one. */
  readonly verb: string | null;
  readonly where: string;
}

/** `/kpi winrate`, `/deal won` in a text (a placeholder such as `/kpi <kpi>` or `/kpi ${x}` is no mention). */
function mentionsIn(text: string, where: string): TMention[] {
  const out: TMention[] = [];
  // A word cut short by a letter outside a–z (`/deal thắng`) is a command word of another language,
  // checked by test/unit/command-aliases.test.ts.
  for (const m of text.matchAll(/(?<![\w/])\/(kpi|deal)[ \t]+([a-z?][a-z0-9-]*)(?![\p{L}])(?:[ \t]+([a-z][a-z0-9-]*)(?![\w@#&;<>\p{L}]))?/giu)) {
    out.push({ command: `/${m[1]!.toLowerCase()}` as TMention['command'], word: m[2]!.toLowerCase(), verb: m[3]?.toLowerCase() ?? null, where });
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'generated') out.push(...sourceFiles(path));
    } else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** What users can read in the sources: every line but comments and log messages (which only operators see). */
function userTextOf(file: string): string {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\/\*\*?|\*)/.test(line) && !/\blogger\??\.(info|warn|error|debug)\(/.test(line))
    .join('\n');
}

/** The README's commands are in code spans (`/kpi rate EUR 1.08`); prose such as "kpi/ (/kpi subcommands)" is not a suggestion. */
function readmeCodeSpans(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]).join('\n');
}

function allMentions(): TMention[] {
  const fromSources = sourceFiles(join(ROOT, 'src')).flatMap((f) => mentionsIn(userTextOf(f), relative(ROOT, f)));
  const kpiHelp = buildKpiHelp().text;
  const dealHelp = buildDealHelp();
  return [
    ...fromSources,
    ...mentionsIn(readmeCodeSpans(), 'README.md'),
    ...mentionsIn(kpiHelp, '/kpi help'),
    ...mentionsIn(`${dealHelp.text}\n${JSON.stringify(dealHelp.blocks ?? [])}`, '/deal help'),
  ];
}

/**
 * `help` and `?` are answered by the router itself; everything else must be a registered name, or a
 * KPI name in another language the router reads as one (`/kpi doanh thu`, domain/command-aliases.ts).
 */
function kpiAccepts(word: string, verb: string | null = null): boolean {
  const english = englishKpiTokens(verb === null ? [word] : [word, verb])[0] ?? word;
  return [word, english].some((w) => w === 'help' || w === '?' || KPI_SUBCOMMANDS.some((s) => s.names.includes(w)));
}

/** The `/deal` parser knows the verb when it does not answer "I don't know "/deal <verb>"". */
function dealAccepts(word: string): boolean {
  try {
    parseDealCommand(word, 'USD');
    return true;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return !e.message.includes(`I don't know "/deal ${word}"`);
  }
}

/**
 * Stands in for the app and the member: reading through it is free (a subcommand may pick its
 * dependencies before looking at the words), calling anything means the subcommand took the words
 * and went to work.
 */
const REACHED = new Error('the subcommand accepted the words and started its work');
function makeProbe(): object {
  const handler: ProxyHandler<() => void> = {
    get: () => makeProbe(),
    apply: () => {
      throw REACHED;
    },
    construct: () => {
      throw REACHED;
    },
  };
  return new Proxy(() => undefined, handler);
}
const probe = makeProbe();

/**
 * Whether `/kpi <word> <verb>` gets past the subcommand's own verb switch: `alerts`, `digest` and
 * `team` answer "I don't know `/kpi alerts <verb>`" for a verb they lack; a KPI answer reads the
 * words as a period or scope (so any word gets through).
 */
async function kpiVerbAccepted(word: string, verb: string): Promise<boolean> {
  const sub = KPI_SUBCOMMANDS.find((s) => s.names.includes(word));
  if (!sub) return false;
  const args = { deps: probe, command: probe, member: probe, args: [verb, 'x'] } as unknown as TKpiSubcommandArgs;
  try {
    await sub.run(args);
    return true;
  } catch (e) {
    if (e === REACHED) return true;
    return !(e instanceof AppError && e.message.includes(`I don't know \`/kpi ${word} ${verb}\``));
  }
}

async function missing(mentions: readonly TMention[]): Promise<string[]> {
  const bad: string[] = [];
  for (const m of mentions) {
    if (m.command === '/deal') {
      if (!dealAccepts(m.word)) bad.push(`/deal ${m.word} (${m.where})`);
    } else if (!kpiAccepts(m.word, m.verb)) bad.push(`/kpi ${m.word} (${m.where})`);
    else {
      // A KPI name in another language (`doanh thu`, `ty-le-chot`) as the router reads it.
      const [word = m.word, verb = null] = englishKpiTokens(m.verb ? [m.word, m.verb] : [m.word]);
      if (verb && word !== 'help' && word !== '?' && !(await kpiVerbAccepted(word, verb))) bad.push(`/kpi ${m.word} ${m.verb} (${m.where})`);
    }
  }
  return [...new Set(bad)].sort();
}

describe('every command the app suggests exists', () => {
  const mentions = allMentions();

  test('the scan finds the suggestions users see (help, answers, errors, README)', () => {
    const words = new Set(mentions.map((m) => `${m.command} ${m.word}`));
    // A scan that found nothing would pass vacuously: these are named in help, answers and README.
    for (const known of ['/kpi quota', '/kpi rate', '/kpi alerts', '/kpi digest', '/kpi dealsize', '/deal won', '/deal stage', '/deal undo']) {
      expect(words, known).toContain(known);
    }
    expect(mentions.some((m) => m.where.startsWith('src/slack/blocks/'))).toBe(true);
    expect(mentions.some((m) => m.where === 'README.md')).toBe(true);
    expect(mentions.some((m) => m.where === '/kpi help')).toBe(true);
    expect(mentions.some((m) => m.where === '/deal help')).toBe(true);
  });

  test('each /kpi X and /deal X named anywhere is a subcommand the router or parser accepts, and /kpi X Y a verb X knows', async () => {
    expect(mentions.filter((m) => m.verb !== null).length).toBeGreaterThan(20);
    expect(await missing(mentions)).toEqual([]);
  });

  test('a suggestion of a command that does not exist is caught', async () => {
    const made = mentionsIn('Try `/kpi pipelinez this month` or `/deal refundz Acme 5k`; `/kpi ${name}` and `/kpi <kpi>` are placeholders.', 'example');
    expect(made.map((m) => `${m.command} ${m.word}`)).toEqual(['/kpi pipelinez', '/deal refundz']);
    expect(await missing(made)).toEqual(['/deal refundz (example)', '/kpi pipelinez (example)']);
    // A verb the subcommand lacks is caught too.
    expect(await missing(mentionsIn('`/kpi alerts mutez winrate-drop`, `/kpi digest subscribez #sales`, `/kpi team deletez North`', 'example'))).toEqual([
      '/kpi alerts mutez (example)',
      '/kpi digest subscribez (example)',
      '/kpi team deletez (example)',
    ]);
    // And real ones pass, aliases included.
    expect(
      await missing(mentionsIn('`/kpi win-rate last month`, `/kpi top`, `/kpi arr`, `/kpi alerts snooze winrate-drop`, `/kpi digest subscribe #sales`, `/kpi team add @dana`, `/kpi quota set @dana 5k`, `/deal win 5k Acme`, `/deal move Acme demo`', 'example')),
    ).toEqual([]);
  });
});
