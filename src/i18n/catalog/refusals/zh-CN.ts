import type { enRefusals } from './en.js';

/** 简体中文：金额、结单日期和备注的拒绝提示。 */
export const zhCNRefusals: Record<keyof typeof enRefusals, string> = {
  'error.refusals.ambiguousDot': '“{shown}”在 {currency} 里有歧义：这个点是千位分隔符（{thousands}）还是小数点（{decimal}）？如果是千位，请写 {asThousands}；如果是小数，小数点后最多写 {digits} 位。',
  'error.refusals.ambiguousThreeDecimals': '“{shown}”在 {currency}（3 位小数）里有歧义：这个{sep, select, dot {点} other {逗号}}是千位分隔符（{thousands}）还是小数点（{decimal}）？如果是千位，请写 {asThousands}；如果是小数，请写 {asDecimal}。',
  'error.refusals.notANumber': '{value} 不是金额。',
  'error.refusals.notPlainNumber': '“{typed}”不是纯数字：只写数字，小数用点号，例如 `{example}`（逗号只能每 3 位一个）。',
  'error.refusals.plainAmbiguous': '“{typed}”在 {currency}（3 位小数）里有歧义：请写不带逗号的 `{plain}`，或写成 `{plain}.000`。',
  'error.refusals.fieldExample': '{message}（例如：{example}）',
  'error.refusals.closeDateNotADate': '这不是日历上存在的日期。请用日期选择器选择。',
  'error.refusals.closeDateTooEarly': '不接受 2000 年之前的结单日期。请选择商机实际结单的日期。',
  'error.refusals.notesLong': '备注最多 {max, number} 个字符（你写了 {n, number} 个）。',
};
