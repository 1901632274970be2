/**
 * Row types of the tables, as the rest of the app sees them. Only storage/ imports the generated
 * Prisma clients (see ARCHITECTURE.md); everyone else names rows through this module.
 */
export type {
  AlertEvent,
  AuditEntry,
  CrmConnection,
  CrmOwnerMap,
  CrmOAuthState,
  CrmSettings,
  CrmStageMap,
  AlertSetting,
  AlertSnooze,
  Deal,
  LeadCount,
  SubscriptionChange,
  DigestSubscription,
  Quota,
  Refund,
  Rep,
  SalesTeam,
  SlackInstallation,
  Workspace,
} from '../generated/sqlite/client.js';
