import type { enRefusals } from './en.js';

/** Tiếng Việt: các câu từ chối số tiền, ngày kết thúc và ghi chú của biểu mẫu đơn. */
export const viRefusals: Record<keyof typeof enRefusals, string> = {
  'error.refusals.ambiguousDot': '"{shown}" chưa rõ với {currency}: dấu chấm là phân cách hàng nghìn ({thousands}) hay dấu thập phân ({decimal})? Nếu là hàng nghìn, hãy viết {asThousands}; nếu là số thập phân, chỉ ghi tối đa {digits} chữ số sau dấu thập phân.',
  'error.refusals.ambiguousThreeDecimals': '"{shown}" chưa rõ với {currency} (có 3 chữ số thập phân): dấu {sep, select, dot {chấm} other {phẩy}} là phân cách hàng nghìn ({thousands}) hay dấu thập phân ({decimal})? Nếu là hàng nghìn, hãy viết {asThousands}; nếu là số thập phân, hãy viết {asDecimal}.',
  'error.refusals.notANumber': '{value} không phải là số tiền.',
  'error.refusals.notPlainNumber': '"{typed}" không phải là một con số thuần: chỉ ghi chữ số, dùng dấu chấm cho phần thập phân, như `{example}` (dấu phẩy chỉ đặt sau mỗi 3 chữ số).',
  'error.refusals.plainAmbiguous': '"{typed}" chưa rõ với {currency} (có 3 chữ số thập phân): hãy ghi `{plain}` không có dấu phẩy, hoặc `{plain}.000`.',
  'error.refusals.fieldExample': '{message} (ví dụ: {example})',
  'error.refusals.closeDateNotADate': 'Ngày này không có trên lịch. Hãy chọn ngày bằng bộ chọn ngày.',
  'error.refusals.closeDateTooEarly': 'Không nhận ngày kết thúc trước năm 2000. Hãy chọn ngày đơn thực sự kết thúc.',
  'error.refusals.notesLong': 'Ghi chú tối đa {max, number} ký tự (ghi chú của bạn có {n, number} ký tự).',
};
