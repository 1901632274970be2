import type { enWords } from './en.js';

/** Tiếng Việt: từ người dùng gõ (loại đơn, giai đoạn) có nhiều nghĩa; trang kết quả kết nối CRM qua OAuth. */
export const viWords: Record<keyof typeof enWords, string> = {
  'error.words.ambiguous': '"{typed}" có thể hiểu theo nhiều nghĩa: {choices}. Hãy ghi rõ bạn muốn chọn cái nào.',
  'page.crm.connected.title': 'Đã kết nối {name}',
  'page.crm.connected.detail': 'Bạn có thể đóng thẻ này và quay lại Slack. Lần tải đầy đủ đầu tiên bắt đầu ngay bây giờ; ứng dụng sẽ nhắn riêng cho bạn trong Slack để báo tiến độ, và {status} có thông tin chi tiết.',
  'page.crm.notSetUp.title': 'Ứng dụng này chưa được thiết lập để kết nối {name}',
  'page.crm.notSetUp.detail': 'Hãy nhờ người vận hành ứng dụng thiết lập {variables}.',
  'page.crm.badLink.title': 'Không dùng được liên kết này',
  'page.crm.badLink.unknown': 'Liên kết này không do ứng dụng tạo ra, hoặc đã được dùng rồi.',
  'page.crm.badLink.expired': 'Liên kết này đã hết hạn.',
  'page.crm.notConnected.title': 'Chưa kết nối được {name}',
  'page.crm.denied': '{name} không cấp quyền truy cập{hasError, select, yes { ({error})} other {}}.',
  'page.crm.refused': '{name} từ chối yêu cầu cấp quyền (có thể đã hết hạn).',
  'page.crm.unreachable': 'Không liên lạc được với {name} để hoàn tất kết nối.',
  'page.crm.retry': 'Hãy chạy lại {command} trong Slack để nhận liên kết mới.',
};
