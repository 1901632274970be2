import type { enCli } from './en.js';

export const viCli: Record<keyof typeof enCli, string> = {
  'cli.demo.header': 'Chạy thử KPI bán hàng: dữ liệu phễu bán hàng công khai của Maven CRM, lưu tại {where}',
  'cli.demo.imported': 'Đã nhập {imported} đơn mới, cập nhật {updated}, giữ nguyên {unchanged} (trên {rows} dòng, mất {ms} ms); không gian làm việc hiện có {deals} đơn.',
  'cli.demo.note': 'Ghi chú về dữ liệu: {text}',
  'cli.demo.refused': 'Bộ dữ liệu bị từ chối:',
};
