/** Threshold alerts (SPEC §4): pure rules, evaluation, recording, delivery bookkeeping, settings and snoozes. */
export * from './alert-posting.js';
export * from './evaluate-alerts.js';
export * from './fire-alerts.js';
export * from './list-alert-status.js';
export * from './load-alert-settings.js';
export * from './permissions.js';
export * from './rules.js';
export * from './set-alert-threshold.js';
export * from './set-alerts-channel.js';
export * from './snooze-alert.js';
export * from './toggle-alert-rule.js';
