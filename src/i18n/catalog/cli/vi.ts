import type { enCli } from './en.js';

export const viCli: Record<keyof typeof enCli, string> = {
  'cli.demo.header': 'Bản chạy thử KPI bán hàng: phễu bán hàng công khai Maven CRM, lưu tại {where}',
  'cli.demo.imported': 'Đã nhập {imported} đơn mới, cập nhật {updated}, giữ nguyên {unchanged} trong {rows} dòng, mất {ms} ms; không gian làm việc có {deals} đơn.',
  'cli.demo.note': 'Ghi chú về dữ liệu: {text}',
  'cli.demo.refused': 'Bộ dữ liệu bị từ chối:',
};
