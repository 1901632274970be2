import { parse as parseQuery } from 'node:querystring';
import { z } from 'zod';

/**
 * Shapes of the Slack requests this app handles, checked before Bolt sees them: Bolt assumes a
 * well-formed body (a signed `payload=null` used to throw inside its receiver and end the
 * process), and a body it cannot classify is never acknowledged. Only the fields Bolt's routing
 * and the listeners rely on are required; everything else passes through untouched.
 */
const ZId = z.string().min(1);
const ZUserRef = z.looseObject({ id: ZId });
const ZTeamRef = z.looseObject({ id: ZId }).nullable();

export const ZSlashCommand = z.looseObject({
  command: z.string().regex(/^\/\S+$/),
  text: z.string(),
  team_id: ZId,
  user_id: ZId,
  channel_id: ZId,
  trigger_id: ZId,
  response_url: z.url(),
});

const ZBlockActions = z.looseObject({
  type: z.literal('block_actions'),
  team: ZTeamRef,
  user: ZUserRef,
  trigger_id: ZId,
  actions: z.array(z.looseObject({ action_id: z.string() })).min(1),
});
const ZViewSubmission = z.looseObject({
  type: z.literal('view_submission'),
  team: ZTeamRef,
  user: ZUserRef,
  trigger_id: ZId,
  view: z.looseObject({ id: ZId, callback_id: z.string() }),
});
const ZShortcutFields = { team: ZTeamRef, user: ZUserRef, trigger_id: ZId, callback_id: z.string() };
const ZMessageShortcut = z.looseObject({ type: z.literal('message_action'), ...ZShortcutFields });
const ZGlobalShortcut = z.looseObject({ type: z.literal('shortcut'), ...ZShortcutFields });

/** The interaction payloads the app has listeners for (manifest: buttons, modals, a message shortcut). */
export const ZInteraction = z.discriminatedUnion('type', [ZBlockActions, ZViewSubmission, ZMessageShortcut, ZGlobalShortcut]);

export const ZEventCallback = z.looseObject({
  type: z.literal('event_callback'),
  team_id: ZId,
  event: z.looseObject({ type: ZId }),
});
const ZUrlVerification = z.looseObject({ type: z.literal('url_verification'), challenge: z.string() });
const ZRateLimited = z.looseObject({ type: z.literal('app_rate_limited') });
const ZEventsApiBody = z.discriminatedUnion('type', [ZEventCallback, ZUrlVerification, ZRateLimited]);

export type TSlackRequest =
  | { kind: 'url_verification'; challenge: string }
  | { kind: 'rate_limited' }
  /** A body to hand to Bolt's `processEvent`. */
  | { kind: 'dispatch'; body: Record<string, unknown> };

export type TParsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** First zod issue as `path: message`; zod's messages name types, never the offending values. */
function issueText(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  if (!issue) return `${prefix}: invalid`;
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  return `${path}: ${issue.message}`;
}

/** JSON.parse without its error text, which quotes part of the input. */
function parseJson(text: string): TParsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
}

function check<T>(schema: z.ZodType<T>, value: unknown, prefix: string): TParsed<T> {
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, reason: issueText(r.error, prefix) };
}

/**
 * Media type without parameters, lower-cased.
 *
 * @example
 * mediaType('Application/JSON; charset=utf-8') // → 'application/json'
 */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * A form body as a flat string map; refuses repeated keys (Slack never sends them, and Bolt would
 * hand the listeners an array where they expect a string).
 *
 * @example
 * parseForm('a=1&b=2') // → { ok: true, value: { a: '1', b: '2' } }
 * parseForm('a=1&a=2') // → { ok: false, reason: 'form field a is repeated' }
 */
export function parseForm(text: string): TParsed<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseQuery(text))) {
    if (typeof value !== 'string') return { ok: false, reason: `form field ${key.slice(0, 40)} is repeated` };
    out[key] = value;
  }
  return { ok: true, value: out };
}

/**
 * Is this body Slack's SSL check, `ssl_check=1`? Bolt answers those without a signature check;
 * so does this app, and it acts on nothing else in such a body.
 *
 * @example
 * isSslCheck('application/x-www-form-urlencoded', Buffer.from('ssl_check=1&token=x')) // → true
 */
export function isSslCheck(contentType: string | undefined, rawBody: Buffer): boolean {
  if (mediaType(contentType) !== 'application/x-www-form-urlencoded') return false;
  const form = parseForm(rawBody.toString('utf8'));
  return form.ok && form.value.ssl_check === '1';
}

/**
 * Parses and checks a signed request body: a slash command or an interaction (`payload=<json>`)
 * as a form, an Events API callback as JSON. Anything else is refused with a reason that never
 * quotes the body.
 *
 * @example
 * parseSlackRequest('application/x-www-form-urlencoded', Buffer.from('payload=null'))
 * // → { ok: false, reason: 'payload: Invalid input: expected object, received null' }
 */
export function parseSlackRequest(contentType: string | undefined, rawBody: Buffer): TParsed<TSlackRequest> {
  if (rawBody.length === 0) return { ok: false, reason: 'empty body' };
  const text = rawBody.toString('utf8');
  const type = mediaType(contentType);
  if (type === 'application/x-www-form-urlencoded') {
    const form = parseForm(text);
    if (!form.ok) return form;
    if (form.value.payload === undefined) {
      const command = check(ZSlashCommand, form.value, 'command');
      return command.ok ? { ok: true, value: { kind: 'dispatch', body: command.value } } : command;
    }
    const json = parseJson(form.value.payload);
    if (!json.ok) return { ok: false, reason: `payload: ${json.reason}` };
    if (typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) {
      return { ok: false, reason: `payload: Invalid input: expected object, received ${json.value === null ? 'null' : Array.isArray(json.value) ? 'array' : typeof json.value}` };
    }
    const interaction = check(ZInteraction, json.value, 'payload');
    return interaction.ok ? { ok: true, value: { kind: 'dispatch', body: interaction.value } } : interaction;
  }
  if (type === 'application/json') {
    const json = parseJson(text);
    if (!json.ok) return json;
    const body = check(ZEventsApiBody, json.value, 'body');
    if (!body.ok) return body;
    if (body.value.type === 'url_verification') return { ok: true, value: { kind: 'url_verification', challenge: body.value.challenge } };
    if (body.value.type === 'app_rate_limited') return { ok: true, value: { kind: 'rate_limited' } };
    return { ok: true, value: { kind: 'dispatch', body: body.value } };
  }
  return { ok: false, reason: `unsupported content-type ${JSON.stringify(type.slice(0, 60))}` };
}

const ZSocketEnvelope = z.looseObject({ type: ZId, envelope_id: ZId.optional(), payload: z.unknown().optional() });
/** Socket Mode envelopes that carry a request for Bolt, with the payload schema each must meet. */
const SOCKET_PAYLOADS: Record<string, z.ZodType> = { slash_commands: ZSlashCommand, interactive: ZInteraction, events_api: ZEventCallback };

export type TSocketMessage =
  /** Control messages (hello, disconnect, …) and well-formed requests: hand on to the client. */
  | { ok: true }
  | { ok: false; reason: string; envelopeId?: string };

/**
 * Checks one Socket Mode WebSocket message before the Slack client parses it (the client
 * dereferences `payload.event.type` and the envelope unchecked, inside an async handler).
 *
 * @example
 * checkSocketMessage('null') // → { ok: false, reason: 'envelope: Invalid input: expected object, received null' }
 */
export function checkSocketMessage(text: string): TSocketMessage {
  const json = parseJson(text);
  if (!json.ok) return { ok: false, reason: `envelope: ${json.reason}` };
  const envelope = check(ZSocketEnvelope, json.value, 'envelope');
  if (!envelope.ok) return envelope;
  const schema = SOCKET_PAYLOADS[envelope.value.type];
  if (!schema) return { ok: true };
  const envelopeId = envelope.value.envelope_id;
  if (!envelopeId) return { ok: false, reason: 'envelope.envelope_id: missing' };
  const payload = check(schema, envelope.value.payload, 'payload');
  return payload.ok ? { ok: true } : { ok: false, reason: payload.reason, envelopeId };
}
