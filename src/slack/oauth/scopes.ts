/**
 * The bot scopes the install asks for, each with why the app needs it: the same list, in the same
 * order, as manifest.yml's `oauth_config.scopes.bot` (test/unit/manifest.test.ts checks that, and
 * that README's scope table gives these reasons). The install page lists the reasons too.
 */
export const BOT_SCOPE_REASONS = [
  { scope: 'commands', why: 'adds the app\'s two slash commands and its "Log as won deal" message shortcut' },
  { scope: 'chat:write', why: 'posts deal announcements, private answers, the weekly digest and alerts in the channels the app is in' },
  { scope: 'users:read', why: 'reads a person\'s name, time zone and admin status, for reports and for who may change settings' },
  { scope: 'users:read.email', why: 'finds the Slack user behind a CRM deal owner\'s email (only with a connected CRM)' },
  { scope: 'channels:read', why: 'checks that the app is in a public channel chosen for the digest or alerts, and that it is not archived' },
  { scope: 'groups:read', why: 'the same check for a private channel chosen for the digest or alerts' },
] as const satisfies ReadonlyArray<{ scope: string; why: string }>;

export const BOT_SCOPES: readonly string[] = BOT_SCOPE_REASONS.map((s) => s.scope);
