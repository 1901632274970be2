import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { englishLeft } from '../helpers/english-words.js';
import { addLanguageTeam, ALICE, commandAnswers, dealFormSubmitter, LAN, WEI } from '../helpers/language-team.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * Amounts read in the asker's number form, through signed requests (issue #12): `1.200 USD` from a
 * Vietnamese member is 1,200 dollars (their dot groups), and from an English or Chinese one it is
 * asked about as before; `1,200 USD` is the Vietnamese member's ambiguous form instead, with the
 * dot form to type. The deal form, `/kpi quota set` and `/kpi leads` read the same way. Workspace
 * T0AMOUNT reports in USD; clock 2026-11-20. Lan reads Vietnamese, Wei Chinese, Alice English
 * (admin).
 */

const NOW = new Date('2026-11-20T12:00:00Z');
const TEAM = 'T0AMOUNT';

describe.each(testEngines())('amounts in the asker\'s number form on %s', (dialect) => {
  let h: Harness;
  let seq = 0;

  let asker: ReturnType<typeof commandAnswers>;
  const answer = (text: string, user: string, command: '/deal' | '/kpi' = '/deal') => asker(command, text, user);

  let submitDeal: ReturnType<typeof dealFormSubmitter>;

  const dealsOf = (customer: string) => h.database.db.prisma.deal.findMany({ where: { customer }, include: { owner: true } });

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.setNow(NOW);
    asker = commandAnswers(h, { team: TEAM, prefix: 'amount' });
    submitDeal = dealFormSubmitter(h, { team: TEAM, prefix: 'VAMT' });
    addLanguageTeam(h);
    await answer('settings currency USD timezone UTC', ALICE, '/kpi');
    await answer('role <@U0LAN|lan> manager', ALICE, '/kpi');
    // Lan's Slack locale is vi-VN; Wei chooses Chinese.
    await answer('settings my-language zh-CN', WEI, '/kpi');
  });

  afterAll(async () => {
    await h?.stop();
  });

  test('`/deal won 1.200 USD Lotus` from a Vietnamese member stores 1,200 dollars (120000 cents)', async () => {
    const a = await answer('won 1.200 USD Lotus', LAN);
    expect(a.shown).toContain('1.200 US$');
    expect(englishLeft(a.raw)).toEqual([]);
    const deals = await dealsOf('Lotus');
    expect(deals).toHaveLength(1);
    expect(deals[0]).toMatchObject({ amountMinor: 120_000n, currency: 'USD', amountReportingMinor: 120_000n, status: 'won' });
    expect(deals[0]!.owner.slackUserId).toBe(LAN);
  });

  test.each([
    [ALICE, 'Lotus En', '"1.200 USD" is ambiguous in USD: is the dot a thousands separator (1,200) or a decimal point (1.2)? Write 1,200 with a comma for thousands'],
    [WEI, 'Lotus Zh', '“1.200 USD”在 USD 里有歧义：这个点是千位分隔符（1,200）还是小数点（1.2）？如果是千位，请写 1,200；'],
  ])('%s: the same command is refused as ambiguous, as before, and nothing is stored', async (user, customer, part) => {
    const a = await answer(`won 1.200 USD ${customer}`, user);
    expect(a.shown).toContain(part);
    expect(await dealsOf(customer)).toHaveLength(0);
  });

  test('`1,200 USD` is the Vietnamese member\'s ambiguous form, answered with the dot form; English reads it as 1,200', async () => {
    const a = await answer('won 1,200 USD Beta', LAN);
    expect(a.shown).toContain('"1,200 USD" chưa rõ với USD: dấu phẩy là phân cách hàng nghìn (1.200) hay dấu thập phân (1,2)? Nếu là hàng nghìn, hãy viết 1.200 (dấu chấm phân cách hàng nghìn); nếu là số thập phân, chỉ ghi tối đa 2 chữ số sau dấu phẩy.');
    expect(englishLeft(a.raw)).toEqual([]);
    expect(await dealsOf('Beta')).toHaveLength(0);
    // The form it offers is read back as meant.
    await answer('won 1.200 USD Beta', LAN);
    expect((await dealsOf('Beta'))[0]).toMatchObject({ amountMinor: 120_000n, currency: 'USD' });
    await answer('won 1,200 USD Gamma', ALICE);
    expect((await dealsOf('Gamma'))[0]).toMatchObject({ amountMinor: 120_000n, currency: 'USD' });
    // A decimal comma before 1–2 digits is a decimal for the Vietnamese member.
    await answer('won 1.200,5 USD Delta', LAN);
    expect((await dealsOf('Delta'))[0]).toMatchObject({ amountMinor: 120_050n });
  });

  test.each([
    [LAN, '12.000', 'Form Vi', 1_200_000n, null],
    [ALICE, '12.000', 'Form En', null, '"12.000" is ambiguous in USD'],
    [WEI, '12.000', 'Form Zh', null, '“12.000”在 USD 里有歧义'],
    [LAN, '12,000', 'Form Vi2', null, '"12,000" chưa rõ với USD: dấu phẩy'],
  ])('%s: the deal form reads %j in their number form', async (user, amount, customer, stored, error) => {
    const errors = await submitDeal(user, { customer, amount, currency: 'USD', status: 'won', owner: user });
    if (error === null) {
      expect(errors).toBeNull();
      // The form's submission is acknowledged after the deal is committed.
      expect((await dealsOf(customer))[0]?.amountMinor).toBe(stored);
    } else {
      expect(errors?.amount).toContain(error);
      if (user === LAN) expect(errors?.amount).toContain('(ví dụ: 12.000 USD)');
      expect(await dealsOf(customer)).toHaveLength(0);
    }
  });

  test('`/kpi quota set` and `/kpi leads` read the Vietnamese member\'s dot as grouping', async () => {
    const quota = await answer('quota set <@U0LAN|lan> 1.200', LAN, '/kpi');
    expect(quota.shown).toContain('1.200 US$');
    const rep = await h.database.db.prisma.rep.findFirstOrThrow({ where: { slackUserId: LAN } });
    expect(await h.database.db.prisma.quota.findFirst({ where: { repId: rep.id } })).toMatchObject({ amountMinor: 120_000n, currency: 'USD' });
    const leads = await answer('leads 1.200 2026-11', LAN, '/kpi');
    expect(englishLeft(leads.raw)).toEqual([]);
    expect(await h.database.db.prisma.leadCount.findFirst({ where: { count: 1200 } })).not.toBeNull();
    const english = await answer('leads 1.200 2026-10', ALICE, '/kpi');
    expect(english.shown).toContain('"1.200" is not a whole number of leads');
  });
});
