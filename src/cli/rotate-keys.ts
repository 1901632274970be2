import { parseArgs } from 'node:util';
import { isCrmKeyText, isKeyListText } from '../config.js';
import { crmKeyRing } from '../domain/crm/credentials.js';
import { slackTokenKeyRing } from '../domain/installations/slack-installation.js';
import { resealSecrets, sealedKindLabel, type TSecretRings } from '../domain/secrets/reseal-secrets.js';
import { formatCount } from '../domain/money.js';
import { openDatabase } from '../storage/db.js';
import { migrateDatabase } from '../storage/migrate.js';
import { databaseUrlFrom, failureMessage, isEntryPoint, UsageError } from './cli-kit.js';

/**
 * `npm run rotate-keys [-- --dry-run]`
 *
 * Re-seals every stored secret with the current key: the installations' Slack tokens with
 * SLACK_TOKEN_ENCRYPTION_KEY (opening them with it or SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS), the CRM
 * credentials and in-flight CRM OAuth verifiers with CRM_ENCRYPTION_KEY (or …_PREVIOUS). Values
 * already sealed with the current key are left alone, so running it again changes nothing.
 *
 * Exit codes: 0 done (or dry run), 1 some values open with no configured key (left as they are)
 * or failed, 2 usage error.
 */

export const USAGE = 'usage: npm run rotate-keys [-- --dry-run]';

const HELP = `${USAGE}

Re-seals the secrets stored in the database of DATABASE_URL (default file:./data/kpi.db) with the
current keys. Set the new key as SLACK_TOKEN_ENCRYPTION_KEY (CRM_ENCRYPTION_KEY) and the old one
as SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS (CRM_ENCRYPTION_KEY_PREVIOUS; several keys may be given,
comma separated), run this, then remove the _PREVIOUS variables. At least one of the two current
keys is needed; secrets of a kind whose key is not set are skipped.

  --dry-run   count what would be re-sealed; write nothing`;

export interface RotateKeysCliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}


function ringsOf(env: NodeJS.ProcessEnv): TSecretRings {
  const pick = (name: string): string | undefined => env[name]?.trim() || undefined;
  const slack = pick('SLACK_TOKEN_ENCRYPTION_KEY');
  const slackPrevious = pick('SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS');
  const crm = pick('CRM_ENCRYPTION_KEY');
  const crmPrevious = pick('CRM_ENCRYPTION_KEY_PREVIOUS');
  for (const [name, value] of [
    ['SLACK_TOKEN_ENCRYPTION_KEY', slack],
    ['CRM_ENCRYPTION_KEY', crm],
  ] as const) {
    if (value !== undefined && !isCrmKeyText(value)) throw new UsageError(`${name} must be 32 random bytes in base64 (openssl rand -base64 32)`);
  }
  for (const [name, value, current] of [
    ['SLACK_TOKEN_ENCRYPTION_KEY_PREVIOUS', slackPrevious, slack],
    ['CRM_ENCRYPTION_KEY_PREVIOUS', crmPrevious, crm],
  ] as const) {
    if (value === undefined) continue;
    if (!isKeyListText(value)) throw new UsageError(`${name} must be one or more keys of 32 random bytes in base64, separated by commas`);
    if (current === undefined) throw new UsageError(`${name.replace(/_PREVIOUS$/, '')} is required when ${name} is set (the new key of a rotation)`);
  }
  if (slack === undefined && crm === undefined) throw new UsageError('set SLACK_TOKEN_ENCRYPTION_KEY and/or CRM_ENCRYPTION_KEY (the current keys) to re-seal with');
  return { slack: slack ? slackTokenKeyRing(slack, slackPrevious) : null, crm: crm ? crmKeyRing(crm, crmPrevious) : null };
}

/** Runs the rotate-keys command; returns the exit code. */
export async function runRotateKeysCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: RotateKeysCliIo): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: [...argv], strict: true, options: { 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } }).values;
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e));
    io.err(USAGE);
    return 2;
  }
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  let url: string;
  let rings: TSecretRings;
  try {
    url = databaseUrlFrom(env);
    rings = ringsOf(env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(e.message);
    io.err(USAGE);
    return 2;
  }

  const dryRun = values['dry-run'];
  const db = openDatabase(url);
  try {
    await migrateDatabase(db, (m) => io.err(m));
    const counts = await resealSecrets({ db, rings, write: !dryRun });
    io.out(dryRun ? 'Dry run, nothing written:' : 'Re-sealed with the current keys:');
    for (const c of counts) {
      const label = `${sealedKindLabel(c.kind)}s`;
      const done = dryRun ? `${formatCount(c.stale)} to re-seal` : `${formatCount(c.stale - c.changedMeanwhile)} re-sealed`;
      io.out(`  ${label}: ${formatCount(c.stored)} stored, ${done}, ${formatCount(c.current)} already current, ${formatCount(c.unreadable)} unreadable${c.changedMeanwhile ? `, ${formatCount(c.changedMeanwhile)} rewritten by the app meanwhile` : ''}`);
    }
    if (!rings.slack) io.out('  Slack tokens skipped: SLACK_TOKEN_ENCRYPTION_KEY is not set.');
    if (!rings.crm) io.out('  CRM credentials skipped: CRM_ENCRYPTION_KEY is not set.');
    const unreadable = counts.reduce((s, c) => s + c.unreadable, 0);
    if (unreadable > 0) {
      io.err(`${formatCount(unreadable)} stored value${unreadable === 1 ? '' : 's'} open with none of the configured keys and were left as they are: add the key they were sealed with to the _PREVIOUS variable.`);
      return 1;
    }
    return 0;
  } catch (e) {
    io.err(failureMessage('rotate-keys', e));
    return 1;
  } finally {
    await db.close();
  }
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = await runRotateKeysCli(process.argv.slice(2), process.env, { out: (l) => console.log(l), err: (l) => console.error(l) });
}
