/**
 * The bot scopes the install asks for: the same list as manifest.yml's `oauth_config.scopes.bot`
 * (test/unit/oauth-pages.test.ts checks that they agree).
 */
export const BOT_SCOPES: readonly string[] = ['commands', 'chat:write', 'users:read', 'users:read.email', 'channels:read', 'groups:read'];
