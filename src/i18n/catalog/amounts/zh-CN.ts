/** Amounts read in the reader's number form: see ./en.ts. */
export const zhCNAmounts = {
  'error.amounts.ambiguousComma': '“{shown}”在 {currency} 里有歧义：这个逗号是千位分隔符（{thousands}）还是小数点（{decimal}）？如果是千位，请写 {asThousands}；如果是小数，小数点后最多写 {digits} 位。',
} as const;
