/** What every operator command (`npm run import|export|purge|sync|rotate-keys`) does the same way. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isAppError } from '../errors.js';
import { dialectOf } from '../storage/db.js';

/** Wrong arguments or environment: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}

/**
 * The database the command works on: `DATABASE_URL`, or the embedded default.
 * @example databaseUrlFrom({}) // 'file:./data/kpi.db'
 */
export function databaseUrlFrom(env: NodeJS.ProcessEnv): string {
  const url = env['DATABASE_URL'] || 'file:./data/kpi.db';
  try {
    dialectOf(url);
  } catch {
    throw new UsageError('DATABASE_URL must be file:./data/kpi.db (SQLite) or postgresql://user@host:5432/db');
  }
  return url;
}

/** The line an operator reads when a command stops on an error. */
export function failureMessage(command: string, e: unknown): string {
  return `${command} failed: ${isAppError(e) ? e.message : e instanceof Error ? e.message : String(e)}`;
}

/** True when this module is the script node was started with (not imported by a test). */
export function isEntryPoint(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(resolve(process.argv[1])).href;
}
