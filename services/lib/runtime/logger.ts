import { pino, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';

/** The structured logger every component receives; pino underneath. */
export type Logger = Pick<PinoLogger, 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'child' | 'level'>;

export interface LoggerOptions {
  level?: string;
  /** component name stamped on every line */
  name?: string;
  /** where lines go; defaults to stderr so stdout stays free for command output */
  destination?: NodeJS.WritableStream;
  /** human-readable lines instead of JSON; defaults to "stderr is a terminal" */
  pretty?: boolean;
}

/**
 * Secrets never reach a log line: any field with one of these names is
 * censored by pino before serialisation, wherever it sits in the object.
 */
export const REDACT_PATHS = [
  'password', '*.password', 'client_secret', '*.client_secret', 'clientSecret', '*.clientSecret',
  'token', '*.token', 'FINNHUB_TOKEN', '*.FINNHUB_TOKEN', 'refreshToken', '*.refreshToken',
  'accessToken', '*.accessToken', 'authorization', '*.authorization', 'headers.authorization',
];

export function createLogger(options: LoggerOptions = {}): Logger {
  const toTerminal = options.pretty ?? (options.destination === undefined && process.stderr.isTTY === true);
  // pino-pretty as a stream (not a transport) stays in-process and synchronous:
  // no worker thread to lose lines on exit.
  const destination = toTerminal
    ? pretty({ destination: 2, sync: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' })
    : (options.destination ?? process.stderr);
  return pino(
    {
      level: options.level ?? 'info',
      base: options.name ? { component: options.name } : {},
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination as unknown as pino.DestinationStream,
  );
}

/** A logger that drops everything: for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
