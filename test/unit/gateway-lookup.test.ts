import { afterAll, beforeAll, expect, test } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createDeliveryGateway, type SlackGateway } from '../../src/slack/gateway.js';
import { FakeSlack } from '../helpers/fake-slack.js';

// CRM owners are matched to Slack users by email (users.lookupByEmail, scope users:read.email).
let fake: FakeSlack;
let gateway: SlackGateway;
beforeAll(async () => {
  fake = await new FakeSlack().start();
  fake.addUser({ id: 'U0ANA', name: 'ana', email: 'Ana@Example.com' });
  gateway = createDeliveryGateway({ token: 'xoxb-1234-5678-testtoken', slackApiUrl: fake.apiUrl, logger: createLogger('error'), timeoutMs: 2000 });
});
afterAll(() => fake.stop());

test('an email finds its Slack user (case-insensitive), an unknown one finds nobody', async () => {
  expect(await gateway.userIdByEmail('ana@example.com')).toBe('U0ANA');
  expect(await gateway.userIdByEmail('nobody@example.com')).toBeNull();
  expect(fake.callsTo('users.lookupByEmail').map((c) => c.args.email)).toEqual(['ana@example.com', 'nobody@example.com']);
});

test('any other Slack error is not mistaken for "nobody"', async () => {
  fake.on('users.lookupByEmail', () => ({ ok: false, error: 'missing_scope' }));
  await expect(gateway.userIdByEmail('ana@example.com')).rejects.toThrow();
  fake.off('users.lookupByEmail');
});
