/**
 * The environment a child process of a test starts with: only what it needs, plus whatever moves
 * the clock of this process (Debian's faketime: LD_PRELOAD and FAKETIME*), so a child app and the
 * test that signs its requests read the same clock when the suite runs a year ahead.
 *
 * @example
 * spawn(process.execPath, ['src/main.ts'], { env: childEnv({ PORT: '0' }) });
 */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && (k === 'LD_PRELOAD' || k.startsWith('FAKETIME') || k === 'DONT_FAKE_MONOTONIC')) env[k] = v;
  }
  return { ...env, ...extra };
}
