import { describe, expect, test } from 'vitest';
import { checkSocketMessage, parseForm, parseSlackRequest } from '../../src/slack/request-body.js';
import { verifySlackSignature } from '../../src/slack/request-verification.js';
import { signSlackRequest } from '../helpers/slack-requests.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const user = { id: 'U0REP' };
const team = { id: 'T0FAKE' };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const payload = (p: unknown) => form({ payload: JSON.stringify(p) });
const command = { command: '/kpi', text: 'help', team_id: 'T0FAKE', user_id: 'U0REP', channel_id: 'C0SALES', trigger_id: '1.2.3', response_url: 'https://hooks.slack.com/commands/x' };

describe('parseSlackRequest', () => {
  test.each([
    ['a slash command', FORM, form(command), 'dispatch'],
    ['a button click', FORM, payload({ type: 'block_actions', team, user, trigger_id: 't', actions: [{ action_id: 'a' }] }), 'dispatch'],
    ['a modal submission', FORM, payload({ type: 'view_submission', team, user, trigger_id: 't', view: { id: 'V1', callback_id: 'deal_modal' } }), 'dispatch'],
    ['a message shortcut', FORM, payload({ type: 'message_action', team, user, trigger_id: 't', callback_id: 'log_as_won' }), 'dispatch'],
    ['an event with a charset parameter', 'application/json; charset=utf-8', JSON.stringify({ type: 'event_callback', team_id: 'T0FAKE', event: { type: 'app_home_opened' } }), 'dispatch'],
    ['the URL check', JSON_TYPE, JSON.stringify({ type: 'url_verification', challenge: 'c' }), 'url_verification'],
  ])('accepts %s', (_name, contentType, body, kind) => {
    const r = parseSlackRequest(contentType, Buffer.from(body));
    expect(r.ok && r.value.kind).toBe(kind);
  });

  test.each([
    ['payload=null', FORM, 'payload=null', /^payload: .*null/],
    ['payload=[]', FORM, 'payload=%5B%5D', /^payload: .*array/],
    ['payload="a string"', FORM, payload('a string'), /^payload: .*string/],
    ['payload without type', FORM, payload({ user, trigger_id: 't' }), /^payload\.type: /],
    ['block_actions without trigger_id', FORM, payload({ type: 'block_actions', team, user, actions: [{ action_id: 'a' }] }), /^payload\.trigger_id: /],
    ['block_actions without user', FORM, payload({ type: 'block_actions', team, trigger_id: 't', actions: [{ action_id: 'a' }] }), /^payload\.user: /],
    ['view_submission without view', FORM, payload({ type: 'view_submission', team, user, trigger_id: 't' }), /^payload\.view: /],
    ['shortcut without trigger_id', FORM, payload({ type: 'message_action', team, user, callback_id: 'c' }), /^payload\.trigger_id: /],
    ['a truncated payload', FORM, payload({ type: 'block_actions', team, user }).slice(0, 40), /^payload: not valid JSON$/],
    ['a truncated command', FORM, form(command).slice(0, 50), /^command\.\w+: /],
    ['a repeated form field', FORM, 'payload=%7B%7D&payload=%7B%7D', /repeated/],
    ['invalid JSON', JSON_TYPE, '{"type":"event_callback",', /^not valid JSON$/],
    ['a JSON event without its event', JSON_TYPE, JSON.stringify({ type: 'event_callback', team_id: 'T0FAKE' }), /^body\.event: /],
    ['an unknown content-type', 'text/plain', form(command), /^unsupported content-type "text\/plain"$/],
    ['no content-type', undefined, form(command), /^unsupported content-type ""$/],
    ['an empty body', FORM, '', /^empty body$/],
  ])('refuses %s, with a reason that does not quote the body', (_name, contentType, body, reason) => {
    const r = parseSlackRequest(contentType, Buffer.from(body));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toMatch(reason);
      expect(r.reason).not.toMatch(/U0REP|a string|event_callback|help/);
    }
  });

  test('parseForm keeps a flat map', () => {
    expect(parseForm('a=1&b=x%20y')).toEqual({ ok: true, value: { a: '1', b: 'x y' } });
  });
});

describe('verifySlackSignature', () => {
  const secret = 'test-signing-secret';
  const body = Buffer.from(form(command));
  const now = Date.UTC(2026, 2, 1, 12, 0, 0);
  const at = (offsetSeconds: number) => {
    const ts = Math.floor(now / 1000) + offsetSeconds;
    return { signingSecret: secret, rawBody: body, timestamp: String(ts), signature: signSlackRequest(secret, ts, body.toString()), nowMs: now };
  };

  test.each([
    ['now', 0, true],
    ['4 minutes ahead', 240, true],
    ['4 minutes behind', -240, true],
    ['exactly 5 minutes ahead', 300, true],
    ['6 minutes ahead', 360, false],
    ['6 minutes behind', -360, false],
    ['a day ahead', 86_400, false],
  ])('a request signed %s: accepted %s', (_name, offset, ok) => {
    expect(verifySlackSignature(at(offset)).ok).toBe(ok);
  });

  test.each([
    ['wrong secret', { signature: signSlackRequest('other-secret', Math.floor(now / 1000), body.toString()) }, 'signature mismatch'],
    ['no timestamp', { timestamp: undefined }, 'missing or malformed x-slack-request-timestamp'],
    ['a non-numeric timestamp', { timestamp: '1e9' }, 'missing or malformed x-slack-request-timestamp'],
    ['no signature', { signature: undefined }, 'missing or malformed x-slack-signature'],
    ['another signature version', { signature: 'v1=' + '0'.repeat(64) }, 'missing or malformed x-slack-signature'],
    ['a changed body', { rawBody: Buffer.from(form({ ...command, text: 'other' })) }, 'signature mismatch'],
  ])('refuses %s', (_name, change, reason) => {
    expect(verifySlackSignature({ ...at(0), ...change })).toEqual({ ok: false, reason });
  });

  test('says which way the timestamp is off, never the secret', () => {
    const r = verifySlackSignature(at(3600));
    expect(r).toEqual({ ok: false, reason: 'timestamp 3600 s in the future, outside the 300 s window' });
  });
});

describe('checkSocketMessage', () => {
  test.each([
    ['hello', JSON.stringify({ type: 'hello', num_connections: 1 })],
    ['a slash command', JSON.stringify({ type: 'slash_commands', envelope_id: 'e1', payload: command })],
    ['an event', JSON.stringify({ type: 'events_api', envelope_id: 'e2', payload: { type: 'event_callback', team_id: 'T0FAKE', event: { type: 'app_home_opened' } } })],
  ])('passes %s on', (_name, text) => {
    expect(checkSocketMessage(text)).toEqual({ ok: true });
  });

  test.each([
    ['null', 'null', undefined],
    ['not JSON', '{"type":', undefined],
    ['an events_api envelope without its event', JSON.stringify({ type: 'events_api', envelope_id: 'e3', payload: { type: 'event_callback', team_id: 'T0FAKE' } }), 'e3'],
    ['an interactive envelope with a null payload', JSON.stringify({ type: 'interactive', envelope_id: 'e4', payload: null }), 'e4'],
    ['a request envelope without envelope_id', JSON.stringify({ type: 'slash_commands', payload: command }), undefined],
  ])('refuses %s', (_name, text, envelopeId) => {
    const r = checkSocketMessage(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.envelopeId).toBe(envelopeId);
  });
});
