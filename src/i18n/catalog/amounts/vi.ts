/** Amounts read in the reader's number form: see ./en.ts. */
export const viAmounts = {
  'error.amounts.ambiguousComma': '"{shown}" chưa rõ với {currency}: dấu phẩy là phân cách hàng nghìn ({thousands}) hay dấu thập phân ({decimal})? Nếu là hàng nghìn, hãy viết {asThousands} (dấu chấm phân cách hàng nghìn); nếu là số thập phân, chỉ ghi tối đa {digits} chữ số sau dấu phẩy.',
} as const;
