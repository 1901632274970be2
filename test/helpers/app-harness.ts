import { createKpiApp, type CreateKpiAppOptions, type KpiApp } from '../../src/app.js';
import { loadConfig, type TConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type { Dialect } from '../../src/storage/db.js';
import { FakeSlack } from './fake-slack.js';
import { slackSender, type SlackSender } from './slack-requests.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';
import type { TSealPurpose } from '../../src/slack/sealed-values.js';

export const TEST_SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const TEST_BOT_TOKEN = 'xoxb-1234-5678-testtoken';

export interface Harness {
  fake: FakeSlack;
  /** The configuration the app was started with. */
  config: TConfig;
  database: TestDatabase;
  kpi: KpiApp;
  url: string;
  slack: SlackSender;
  logs: string[];
  /** Signs a button value or modal metadata as the app would (team T0FAKE unless given). */
  seal(purpose: TSealPurpose, payload: string, bind?: { teamId?: string; userId?: string }): string;
  /** The payload of a value the app sealed (throws when it does not check out). */
  unseal(purpose: TSealPurpose, value: string, bind?: { teamId?: string; userId?: string }): string;
  /** Sets the app's clock; `slack` signs its requests with the same clock. */
  setNow(d: Date | null): void;
  stop(): Promise<void>;
}

/**
 * Starts the real Bolt app (HTTP receiver on a loopback port) on a fresh database of that engine,
 * talking to a fresh fake Slack Web API.
 */
export async function startHarness(
  dialect: Dialect,
  env: Record<string, string> = {},
  { port: listenPort = 0, ...options }: Pick<CreateKpiAppOptions, 'createCrmSource'> & { /** A fixed loopback port (default: any free one). */ port?: number } = {},
): Promise<Harness> {
  const fake = await new FakeSlack().start();
  const database = await createTestDatabase(dialect);
  const logs: string[] = [];
  const logger: Logger = createLogger('debug', (line) => logs.push(line));
  const config = loadConfig({
    SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: database.url,
    PORT: '0',
    QUICKCHART_URL: 'http://127.0.0.1:9/quickchart',
    ...env,
  });
  let fixedNow: Date | null = null;
  const now = (): Date => fixedNow ?? new Date();
  const kpi = await createKpiApp({ config, db: database.db, logger, now, retryConfig: { retries: 0 }, ...options });
  const port = await kpi.start(listenPort);
  const url = `http://127.0.0.1:${port}`;
  // Slack signs with its own time; the app checks it against its clock: in tests both are `now`.
  const slack = slackSender(url, TEST_SIGNING_SECRET, { response_url: fake.responseUrl('cmd') }, now);
  return {
    fake,
    config,
    database,
    kpi,
    url,
    slack,
    logs,
    seal: (purpose, payload, bind = {}) => kpi.deps.sealer.seal(purpose, { teamId: bind.teamId ?? 'T0FAKE', ...(bind.userId ? { userId: bind.userId } : {}) }, payload),
    unseal: (purpose, value, bind = {}) => {
      const payload = kpi.deps.sealer.open(purpose, { teamId: bind.teamId ?? 'T0FAKE', ...(bind.userId ? { userId: bind.userId } : {}) }, value);
      if (payload === null) throw new Error(`not a ${purpose} value sealed for ${JSON.stringify(bind)}: ${value}`);
      return payload;
    },
    setNow: (d) => {
      fixedNow = d;
    },
    stop: async () => {
      await kpi.stop();
      await fake.stop();
      await database.drop();
    },
  };
}
