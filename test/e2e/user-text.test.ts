import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { mrkdwnToText } from '../../src/slack/blocks/render-text.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { BIDI_OR_CONTROL, collectTexts, liveMarkup } from '../helpers/live-markup.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * Issue #7 item 6 through signed requests: a customer, team or rep called `<!channel>` (typed as
 * the literal, which Slack delivers escaped, or as `@channel`, which Slack delivers as a live
 * token) never pings, mentions or links anything in the confirmation, the channel announcement,
 * the undo, the error echo, the team messages or a KPI answer; it is stored as readable text.
 */
describe.each(testEngines())('user text stays text end to end on %s', (dialect) => {
  let h: Harness;
  let seq = 0;
  const nextResponseId = () => `u${++seq}`;

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.fake.addUser({ id: 'U0ADMIN', name: 'alice', real_name: 'Alice Admin', tz: 'UTC' });
    h.fake.addUser({ id: 'U0REP', name: 'bob', real_name: 'Bob Rep', tz: 'UTC' });
    // A Slack display name is user text too.
    h.fake.addUser({ id: 'U0EVE', name: '<!everyone> eve', real_name: '<!everyone> eve', tz: 'UTC' });
    const id = nextResponseId();
    await h.slack.command('/kpi', 'settings', { user_id: 'U0ADMIN', response_url: h.fake.responseUrl(id) });
    await h.fake.waitFor(() => h.fake.responsesTo(id).length > 0);
  });
  afterAll(async () => h?.stop());
  beforeEach(() => h.fake.reset());

  async function run(command: string, text: string, user = 'U0REP') {
    const id = nextResponseId();
    const res = await h.slack.command(command, text, { user_id: user, response_url: h.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    const [answer] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    return answer as { text: string; blocks?: unknown[] };
  }

  /**
   * Nothing live anywhere Slack reads mrkdwn; no bidi/control characters; `reads` is on screen
   * (which also catches double escaping: `&amp;lt;` reads as `&lt;`, not `<`).
   */
  function expectInert(message: unknown, reads: string): void {
    const { mrkdwn, plain } = collectTexts(message);
    expect(mrkdwn.length).toBeGreaterThan(0);
    for (const m of mrkdwn) {
      expect(liveMarkup(m)).toEqual([]);
      expect(m).not.toMatch(BIDI_OR_CONTROL);
    }
    for (const p of plain) expect(p).not.toMatch(BIDI_OR_CONTROL);
    expect([...mrkdwn.map(mrkdwnToText), ...plain].join('\n')).toContain(reads);
  }

  async function announcement() {
    const call = await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0SALES'));
    return call.args;
  }

  test.each([
    // [what Slack delivers, the customer as stored, how it reads on screen]
    ['&lt;!channel&gt;', '<!channel>', '<!channel>'],
    ['<!channel>', '@channel', '@channel'],
    ['&lt;!here&gt; &amp; &lt;@UEVIL01&gt;', '<!here> & <@UEVIL01>', '<!here> & <@UEVIL01>'],
    ['<!subteam^SEVIL01|@sales> <https://evil.example|Acme>', '@sales Acme', '@sales Acme'],
    ['&lt;https://evil.example|Acme&gt; &amp;lt;b&amp;gt;', '<https://evil.example|Acme> &lt;b&gt;', '<https://evil.example|Acme> &lt;b&gt;'],
  ])('/deal won 12k %s: stored as %j; confirmation, announcement and undo stay inert', async (typed, stored, reads) => {
    const answer = await run('/deal', `won 12k ${typed}`);
    expectInert(answer, reads);
    const deal = await h.database.db.prisma.deal.findFirstOrThrow({ where: { customer: stored } });
    expect(deal.status).toBe('won');
    const posted = await announcement();
    expectInert(posted, reads);
    expect(String(posted.text)).toContain('won');

    const undo = await run('/deal', 'undo');
    expectInert(undo, reads);
    expect(await h.database.db.prisma.deal.count({ where: { customer: stored } })).toBe(0);
  });

  test('a refused command echoes what was typed, inert and escaped once', async () => {
    const answer = await run('/deal', 'won lots <!here> &lt;!everyone&gt; AT&amp;T');
    expectInert(answer, 'You typed: /deal won lots @here <!everyone> AT&T');
    const unknown = await run('/kpi', '&lt;!channel&gt;');
    expectInert(unknown, "I don't know /kpi <!channel>");
  });

  test('team names and Slack display names stay inert in team messages and KPI answers', async () => {
    // Typed team names refuse markup at input; the refusal itself stays inert.
    const refused = await run('/kpi', 'team create &lt;!here&gt;', 'U0ADMIN');
    expectInert(refused, 'You typed: /kpi team create <!here>');
    const created = await run('/kpi', 'team create R&amp;D', 'U0ADMIN');
    expectInert(created, 'Team R&D created');
    const added = await run('/kpi', 'team add <@U0EVE|eve> R&amp;D', 'U0ADMIN');
    expectInert(added, 'R&D');
    const list = await run('/kpi', 'team', 'U0ADMIN');
    expectInert(list, 'R&D');

    await run('/deal', 'won 5k Initech', 'U0EVE');
    expectInert(await announcement(), '<!everyone> eve');
    const board = await run('/kpi', 'leaderboard', 'U0ADMIN');
    expectInert(board, '<!everyone> eve');
    const team = await run('/kpi', 'winrate R&amp;D', 'U0ADMIN');
    expectInert(team, 'R&D');
  });
});
