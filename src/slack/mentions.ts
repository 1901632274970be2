/** Slack escapes mentions in slash command text as `<@U123|name>` and `<#C123|name>`. */
export function parseUserMention(token: string | undefined): string | null {
  const m = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token ?? '');
  return m ? m[1]! : null;
}

export function parseChannelMention(token: string | undefined): string | null {
  const m = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token ?? '');
  return m ? m[1]! : null;
}
