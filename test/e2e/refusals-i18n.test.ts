import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { englishLeft } from '../helpers/english-words.js';
import { addLanguageTeam, ALICE, commandAnswers, dealFormSubmitter, LAN, WEI } from '../helpers/language-team.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * Refusals with a number, an example, stage names or a date in them, in three languages through
 * signed requests (issue #12): an ambiguous amount with what to write instead (each reader's own
 * decimal mark before 3 digits: `1.200` in English and Chinese, `1,200` in Vietnamese), bad digit groups,
 * the deal form's field errors with their example, an unknown stage, a date in the future. A
 * Vietnamese or Chinese reader gets their own number and date forms, stage names and an example
 * they can type back, with no English word left; English is as it always was. Workspace T0REFUSE
 * reports in USD (where `1.200` is ambiguous); clock 2026-11-20. Lan reads Vietnamese, Wei Chinese,
 * Alice English (admin).
 */

const NOW = new Date('2026-11-20T12:00:00Z');
const TEAM = 'T0REFUSE';

describe.each(testEngines())('refusals with numbers, examples, stages and dates in three languages on %s', (dialect) => {
  let h: Harness;
  let seq = 0;

  let asker: ReturnType<typeof commandAnswers>;
  const answer = (text: string, user: string, command: '/deal' | '/kpi' = '/deal') => asker(command, text, user);

  /** Submits the deal form; returns its field errors (none: null). */
  let submitDeal: ReturnType<typeof dealFormSubmitter>;

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.setNow(NOW);
    asker = commandAnswers(h, { team: TEAM, prefix: 'refuse' });
    submitDeal = dealFormSubmitter(h, { team: TEAM, prefix: 'VREF' });
    addLanguageTeam(h);
    await answer('settings timezone UTC', ALICE, '/kpi');
    await answer('settings my-language vi', LAN, '/kpi');
    await answer('settings my-language zh-CN', WEI, '/kpi');
  });

  afterAll(async () => {
    await h?.stop();
  });

  test.each([
    [ALICE, '1.200', ['"1.200" is ambiguous in USD: is the dot a thousands separator (1,200) or a decimal point (1.2)? Write 1,200 with a comma for thousands, or at most 2 digits after a decimal point.']],
    // Lan's dot groups (`1.200` is 1,200 for her): her decimal comma before 3 digits is what is asked.
    [LAN, '1,200', ['"1,200" chưa rõ với USD: dấu phẩy là phân cách hàng nghìn (1.200) hay dấu thập phân (1,2)? Nếu là hàng nghìn, hãy viết 1.200 (dấu chấm phân cách hàng nghìn); nếu là số thập phân, chỉ ghi tối đa 2 chữ số sau dấu phẩy.']],
    [WEI, '1.200', ['“1.200”在 USD 里有歧义：这个点是千位分隔符（1,200）还是小数点（1.2）？如果是千位，请写 1,200；如果是小数，小数点后最多写 2 位。']],
  ])('%s: an ambiguous amount (%s) says what to write instead, in their number form', async (user, amount, parts) => {
    const a = await answer(`won ${amount} Acme`, user);
    for (const p of parts) expect(a.shown).toContain(p);
    if (user !== ALICE) expect(englishLeft(a.raw)).toEqual([]);
  });

  test.each([
    [ALICE, 'The digit groups in "1,20,000" don\'t look right: thousands separators go every 3 digits, as in 1,200,000.'],
    [LAN, 'Các nhóm chữ số trong "1,20,000" không đúng: dấu phân cách hàng nghìn đặt sau mỗi 3 chữ số, như 1.200.000.'],
    [WEI, '“1,20,000”的数字分组不对：千位分隔符每 3 位一个，例如 1,200,000。'],
  ])('%s: bad digit groups are refused in their language', async (user, part) => {
    const a = await answer('won 1,20,000 Acme', user);
    expect(a.shown).toContain(part);
    if (user !== ALICE) expect(englishLeft(a.raw)).toEqual([]);
  });

  test.each([
    // The example is an amount in the reader's form that the form reads back as the same amount.
    [ALICE, '1.200', 'USD', '"1.200" is ambiguous in USD: is the dot a thousands separator (1,200) or a decimal point (1.2)? Write 1,200 with a comma for thousands, or at most 2 digits after a decimal point. (e.g. $1,200)'],
    [LAN, '1,200', 'USD', '(ví dụ: 1.200 USD)'],
    [WEI, '1.200', 'USD', '（例如：US$1,200）'],
    [ALICE, '1,20,000', 'USD', 'thousands separators go every 3 digits, as in 1,200,000. (e.g. $12,000)'],
    [LAN, '1,20,000', 'USD', 'như 1.200.000. (ví dụ: 12.000 USD)'],
    [WEI, '1,20,000', 'USD', '例如 1,200,000。（例如：US$12,000）'],
    [ALICE, '1.200', 'KWD', 'Write 1,200.000 for thousands, or 1.2 for the decimal. (e.g. 1,200.000 KWD)'],
    [LAN, '1.200', 'KWD', 'dấu chấm là phân cách hàng nghìn (1.200) hay dấu thập phân (1,2)? Nếu là hàng nghìn, hãy viết 1.200,000; nếu là số thập phân, hãy viết 1,2. (ví dụ: 1.200,000 KWD)'],
    [WEI, '1.200', 'KWD', '这个点是千位分隔符（1,200）还是小数点（1.2）？如果是千位，请写 1,200.000；如果是小数，请写 1.2。（例如：KWD 1,200.000）'],
  ])('%s: the deal form refuses %s %s with the example in their form', async (user, amount, currency, part) => {
    const errors = await submitDeal(user, { customer: 'Acme', amount, currency, status: 'won', owner: user });
    expect(errors?.amount).toContain(part);
    if (user !== ALICE) expect(englishLeft(errors?.amount ?? '')).toEqual([]);
  });

  test.each([
    [ALICE, { closeDate: '1999-12-31' }, 'close_date', 'Close dates before 2000 are not accepted. Pick the date the deal actually closed.'],
    [LAN, { closeDate: '1999-12-31' }, 'close_date', 'Không nhận ngày kết thúc trước năm 2000.'],
    [WEI, { closeDate: '2026-02-30' }, 'close_date', '这不是日历上存在的日期。'],
    [ALICE, { notes: 'x'.repeat(3001) }, 'notes', 'Notes are at most 3,000 characters (yours has 3,001).'],
    [LAN, { notes: 'x'.repeat(3001) }, 'notes', 'Ghi chú tối đa 3.000 ký tự (ghi chú của bạn có 3.001 ký tự).'],
    [WEI, { notes: 'x'.repeat(3001) }, 'notes', '备注最多 3,000 个字符（你写了 3,001 个）。'],
  ])('%s: the deal form\'s date and notes errors are in their language', async (user, extra, field, part) => {
    const errors = await submitDeal(user, { customer: 'Acme', amount: '12k', currency: 'USD', status: 'won', owner: user, ...extra });
    expect(errors?.[field]).toContain(part);
    if (user !== ALICE) expect(englishLeft(errors?.[field] ?? '')).toEqual([]);
  });

  test.each([
    [ALICE, ['"pilot" is not a stage here. Stages: Lead → Contacted (call) → Demo/Trial → Proposal.', 'Try: /deal stage Acme demo']],
    [LAN, ['"pilot" không phải giai đoạn ở đây. Các giai đoạn: Khách hàng tiềm năng (lead) → Đã liên hệ (gọi) (contacted) → Trình diễn/Dùng thử (demo) → Báo giá (proposal).']],
    [WEI, ['"pilot" 不是这里的阶段。阶段：线索（lead） → 已联系（电话）（contacted） → 演示/试用（demo） → 方案报价（proposal）。']],
  ])('%s: an unknown stage lists the stage names in their language', async (user, parts) => {
    const a = await answer('stage Acme pilot', user);
    for (const p of parts) expect(a.shown).toContain(p);
    if (user !== ALICE) expect(englishLeft(a.raw)).toEqual([]);
  });

  test.each([
    [ALICE, '2026-12-15 is in the future (today is 2026-11-20 in UTC).'],
    [LAN, '15/12/2026 là ngày trong tương lai (hôm nay là 20/11/2026 theo múi giờ UTC).'],
    [WEI, '2026年12月15日 在未来（UTC 时区今天是 2026年11月20日）。'],
  ])('%s: a date in a refusal is in their date form', async (user, part) => {
    const a = await answer('churn Acme 2026-12-15', user);
    expect(a.shown).toContain(part);
    if (user !== ALICE) expect(englishLeft(a.raw)).toEqual([]);
  });
});
