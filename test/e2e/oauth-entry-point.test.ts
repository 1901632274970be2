import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { childEnv } from '../helpers/child-env.js';

const ROOT = resolve(import.meta.dirname, '../..');
const OAUTH = {
  SLACK_SIGNING_SECRET: 'e2e-signing-secret-0123456789',
  SLACK_CLIENT_ID: '1111111111.2222222222',
  SLACK_CLIENT_SECRET: 'oauth-client-secret-e2e',
  SLACK_STATE_SECRET: 'oauth-state-secret-e2e-0123456789abcdef',
  DATABASE_URL: 'file:/tmp/never-created-oauth.db',
  SCHEDULER_ENABLED: 'false',
};

/** Runs `src/main.ts` to its exit; resolves with the exit code and everything it printed. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((r) => child.on('exit', (code) => r({ code, output })));
}

describe('OAuth mode at the production entry point (issue #11)', () => {
  test('a wrong token encryption key stops startup with one line that does not show it', async () => {
    const bad = Buffer.alloc(24, 5).toString('base64');
    const { code, output } = await runMain({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_KEY: bad });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual(['Configuration error: SLACK_TOKEN_ENCRYPTION_KEY must be 32 random bytes in base64 (openssl rand -base64 32)']);
    expect(output).not.toContain(bad);
  });

  test('a partial OAuth set stops startup with one line', async () => {
    const { code, output } = await runMain({ ...OAUTH });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([
      'Configuration error: SLACK_TOKEN_ENCRYPTION_KEY is required for OAuth mode: set all of SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, SLACK_TOKEN_ENCRYPTION_KEY or none (missing: SLACK_TOKEN_ENCRYPTION_KEY)',
    ]);
  });
});
