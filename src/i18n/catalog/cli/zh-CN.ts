import type { enCli } from './en.js';

export const zhCNCli: Record<keyof typeof enCli, string> = {
  'cli.demo.header': '销售 KPI 演示：Maven CRM 公开销售管道数据，位于 {where}',
  'cli.demo.imported': '已导入：新增 {imported} 个、更新 {updated} 个、未变 {unchanged} 个（共读取 {rows} 行，用时 {ms} 毫秒）；工作区现有 {deals} 个商机。',
  'cli.demo.note': '数据备注：{text}',
  'cli.demo.refused': '数据集被拒绝：',
};
