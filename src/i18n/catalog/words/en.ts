/**
 * Words read from what people type (issue #12, src/domain/deals/deal-words.ts): deal types and stage
 * names in every language, and the refusal of a word that could mean two things; the CRM OAuth
 * callback page (the Salesforce consent), in the language of the admin who started it.
 */
export const enWords = {
  'error.words.ambiguous': '"{typed}" could mean several things: {choices}. Say which one.',
  // ---- the CRM OAuth callback page (slack/blocks/crm-admin.ts `buildCrmCallbackPage`; {placeholders}
  // in `html` become the page's markup: commands and variables in <code>) ---------------------
  'page.crm.connected.title': '{name} is connected',
  'page.crm.connected.detail': 'You can close this tab and go back to Slack. The first full load starts now; the app shows its progress in a message to you in Slack, and {status} has the details.',
  'page.crm.notSetUp.title': '{name} is not set up in this app',
  'page.crm.notSetUp.detail': 'Ask whoever runs the app to set {variables}.',
  'page.crm.badLink.title': 'This link cannot be used',
  'page.crm.badLink.unknown': 'This link is not one the app made, or it was already used.',
  'page.crm.badLink.expired': 'This link expired.',
  'page.crm.notConnected.title': '{name} was not connected',
  'page.crm.denied': '{name} did not grant access{hasError, select, yes { ({error})} other {}}.',
  'page.crm.refused': '{name} refused the authorization (it may have expired).',
  'page.crm.unreachable': '{name} could not be reached to finish connecting.',
  'page.crm.retry': 'Run {command} in Slack again to get a new link.',
} as const;
