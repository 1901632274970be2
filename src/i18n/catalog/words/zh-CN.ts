import type { enWords } from './en.js';

/** 简体中文：用户输入的词（商机类型、阶段）有多种含义时的提示；CRM OAuth 回调页面。 */
export const zhCNWords: Record<keyof typeof enWords, string> = {
  'error.words.ambiguous': '“{typed}”可能指：{choices}。请写明是哪一个。',
  'page.crm.connected.title': '{name} 已连接',
  'page.crm.connected.detail': '你可以关闭此标签页，返回 Slack。首次全量同步现在开始；应用会在 Slack 里私信你同步进度，详情请用 {status} 查看。',
  'page.crm.notSetUp.title': '此应用尚未配置 {name}',
  'page.crm.notSetUp.detail': '请联系应用的运维人员设置 {variables}。',
  'page.crm.badLink.title': '此链接无法使用',
  'page.crm.badLink.unknown': '此链接不是本应用生成的，或已被使用过。',
  'page.crm.badLink.expired': '此链接已过期。',
  'page.crm.notConnected.title': '{name} 未连接',
  'page.crm.denied': '{name} 未授予访问权限{hasError, select, yes {（{error}）} other {}}。',
  'page.crm.refused': '{name} 拒绝了授权（可能已过期）。',
  'page.crm.unreachable': '无法连接 {name}，连接未完成。',
  'page.crm.retry': '请在 Slack 中重新运行 {command}，获取新链接。',
};
