/**
 * Minimal structured logger. Every line passes through `redactSecrets` so a Slack token or a
 * signing secret can never reach the logs, whatever a library puts in an error message.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const SECRET_PATTERNS: RegExp[] = [
  /xox[abposr]-[A-Za-z0-9-]+/g,
  /xapp-[A-Za-z0-9-]+/g,
  /(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/g,
  /(signing[_ ]?secret["'=:\s]+)[A-Za-z0-9]+/gi,
];

/** Replaces anything shaped like a Slack token, a signing secret or a DB password. */
export function redactSecrets(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of extraSecrets) if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  out = out.replace(SECRET_PATTERNS[0]!, '[redacted]').replace(SECRET_PATTERNS[1]!, '[redacted]');
  out = out.replace(SECRET_PATTERNS[2]!, '$1[redacted]@').replace(SECRET_PATTERNS[3]!, '$1[redacted]');
  return out;
}

export interface Logger {
  debug(msg: string, meta?: Record<string, unknown>): void;
  info(msg: string, meta?: Record<string, unknown>): void;
  warn(msg: string, meta?: Record<string, unknown>): void;
  error(msg: string, meta?: Record<string, unknown>): void;
}

const knownSecrets: string[] = [];
/** Registers configured secrets so they are redacted even when they do not look like tokens. */
export function registerSecrets(...secrets: Array<string | undefined>): void {
  for (const s of secrets) if (s) knownSecrets.push(s);
}

function serialise(meta: Record<string, unknown> | undefined): string {
  if (!meta) return '';
  try {
    return ' ' + JSON.stringify(meta, (_k, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Error) return { name: v.name, message: v.message, code: (v as { code?: unknown }).code };
      return v;
    });
  } catch {
    return ' [unserialisable meta]';
  }
}

export function createLogger(level: LogLevel = (process.env.LOG_LEVEL as LogLevel | undefined) ?? 'info', sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const min = ORDER[level] ?? ORDER.info;
  const emit = (lvl: LogLevel, msg: string, meta?: Record<string, unknown>): void => {
    if (ORDER[lvl] < min) return;
    sink(redactSecrets(`${new Date().toISOString()} ${lvl.toUpperCase()} ${msg}${serialise(meta)}`, knownSecrets));
  };
  return {
    debug: (m, meta) => emit('debug', m, meta),
    info: (m, meta) => emit('info', m, meta),
    warn: (m, meta) => emit('warn', m, meta),
    error: (m, meta) => emit('error', m, meta),
  };
}

export const logger: Logger = createLogger();
