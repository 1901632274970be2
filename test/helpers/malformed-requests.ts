import { newTriggerId } from './slack-requests.js';

/** A string put in every malformed body: it must never show up in a log line. */
export const BODY_MARKER = 'BODYMARKER7f3a';

const FORM = 'application/x-www-form-urlencoded';
const user = { id: 'U0REP', name: BODY_MARKER };
const team = { id: 'T0FAKE', domain: 'fake' };
const payload = (p: unknown): string => new URLSearchParams({ payload: JSON.stringify(p) }).toString();
const validButton = () => payload({ type: 'block_actions', team, user, trigger_id: newTriggerId(), actions: [{ action_id: 'kpi_share', value: BODY_MARKER }] });

/**
 * Correctly signed but malformed bodies; each must get 400 and leave the app serving.
 * [name, content-type, raw body]
 */
export function malformedBodies(): Array<[string, string, string]> {
  return [
    ['payload=null', FORM, 'payload=null'],
    ['payload=[] (a JSON array)', FORM, `payload=${encodeURIComponent('[]')}&marker=${BODY_MARKER}`],
    ['payload="a string"', FORM, payload(`a string ${BODY_MARKER}`)],
    ['a payload without type', FORM, payload({ team, user, trigger_id: newTriggerId() })],
    ['block_actions without trigger_id', FORM, payload({ type: 'block_actions', team, user, actions: [{ action_id: 'kpi_share', value: BODY_MARKER }] })],
    ['block_actions without user', FORM, payload({ type: 'block_actions', team, trigger_id: newTriggerId(), actions: [{ action_id: 'kpi_share', value: BODY_MARKER }] })],
    ['view_submission without view', FORM, payload({ type: 'view_submission', team, user, trigger_id: newTriggerId() })],
    ['view_submission without user', FORM, payload({ type: 'view_submission', team, trigger_id: newTriggerId(), view: { id: 'V1', callback_id: 'deal_modal', private_metadata: BODY_MARKER } })],
    ['a message shortcut without trigger_id', FORM, payload({ type: 'message_action', team, user, callback_id: 'log_as_won', message: { text: BODY_MARKER } })],
    ['a truncated form body', FORM, validButton().slice(0, 120)],
    ['a truncated slash command', FORM, new URLSearchParams({ token: BODY_MARKER, team_id: 'T0FAKE', user_id: 'U0REP', command: '/kpi', text: 'help' }).toString().slice(0, 70)],
    ['invalid JSON', 'application/json', `{"type":"event_callback","event":{"type":"app_home_opened","user":"${BODY_MARKER}"`],
    ['JSON null', 'application/json', 'null'],
    ['an unknown content-type', 'text/plain', `command=%2Fkpi&text=${BODY_MARKER}`],
    ['an empty form body', FORM, ''],
    ['an empty JSON body', 'application/json', ''],
  ];
}
