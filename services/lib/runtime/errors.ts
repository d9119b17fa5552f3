/**
 * The one closed set of error codes. Every failure that crosses a module
 * boundary is a StockstreamerError carrying one of these codes, so callers act
 * on properties (retry it? dead-letter it? stop start-up?) instead of parsing
 * messages. docs: README "Error codes" lists every code; a test keeps the two
 * in step.
 */
export const ERROR_CODES = {
  CONFIG_INVALID: { retriable: false, poison: false, hint: 'fix the named environment variable or config key and start again' },
  CREDENTIALS_INVALID: { retriable: false, poison: false, hint: 'fix the named key in secrets/credentials.ini (see secrets/credentials.ini.example)' },
  SOURCE_AUTH_FAILED: { retriable: false, poison: false, hint: 'the source rejected the credentials: check them in secrets/credentials.ini' },
  SOURCE_UNAVAILABLE: { retriable: true, poison: false, hint: 'the upstream API or socket is unreachable; it is retried with backoff' },
  SOURCE_RATE_LIMITED: { retriable: true, poison: false, hint: 'the upstream API asked us to slow down; waiting as it said' },
  MALFORMED_FRAME: { retriable: false, poison: true, hint: 'an upstream message could not be parsed; it is counted and skipped' },
  DECODE_MAGIC_BYTE: { retriable: false, poison: true, hint: 'the record is not in the Confluent wire format (magic byte 0); it went to the dead-letter topic' },
  DECODE_UNKNOWN_SCHEMA: { retriable: false, poison: true, hint: 'the record names a schema id the registry does not know; it went to the dead-letter topic' },
  DECODE_TRUNCATED: { retriable: false, poison: true, hint: 'the Avro body is truncated or corrupt; it went to the dead-letter topic' },
  VALIDATION_FAILED: { retriable: false, poison: true, hint: 'the record decoded but breaks a domain rule; it went to the dead-letter topic' },
  SCHEMA_INCOMPATIBLE: { retriable: false, poison: false, hint: 'the schema change breaks BACKWARD compatibility; add a default or a new field instead' },
  REGISTRY_UNAVAILABLE: { retriable: true, poison: false, hint: 'the schema registry is unreachable; it is retried with backoff' },
  BUS_UNAVAILABLE: { retriable: true, poison: false, hint: 'Kafka is unreachable; it is retried with backoff' },
  BUS_REJECTED: { retriable: false, poison: false, hint: 'Kafka refused the request for good (message too large, not authorised, unknown topic); see the cause' },
  STORE_UNAVAILABLE: { retriable: true, poison: false, hint: 'the database is unreachable; writes are retried and the consumer pauses' },
  STORE_WRITE_FAILED: { retriable: false, poison: false, hint: 'a write was rejected by the database; see the cause' },
  HOME_LOCKED: { retriable: false, poison: false, hint: 'another stockstreamer process is writing to this STOCKSTREAMER_HOME: stop it first, or point STOCKSTREAMER_HOME at another folder (a dashboard may read it meanwhile)' },
  PORT_IN_USE: { retriable: false, poison: false, hint: 'stop the other process, or set the named port setting to a free port (0 = any free port, printed at start-up)' },
  INPUT_INVALID: { retriable: false, poison: false, hint: 'the request parameters are invalid; see the message' },
  MAIL_UNDELIVERED: { retriable: true, poison: false, hint: 'the SMTP server did not accept the alert mail; the alert is stored and retried' },
  WEBHOOK_UNDELIVERED: { retriable: true, poison: false, hint: 'the alert webhook ([WEBHOOK] url) did not answer 2xx; the alert is stored and retried' },
} as const satisfies Record<string, { retriable: boolean; poison: boolean; hint: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class StockstreamerError extends Error {
  readonly code: ErrorCode;
  /** a retry of the same operation may succeed */
  readonly retriable: boolean;
  /** the input itself is bad: dead-letter it, never retry it */
  readonly poison: boolean;
  /** what the operator should do */
  readonly hint: string;
  /** machine-readable context; never holds secret values */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StockstreamerError';
    this.code = code;
    this.retriable = ERROR_CODES[code].retriable;
    this.poison = ERROR_CODES[code].poison;
    this.hint = ERROR_CODES[code].hint;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }
}

export function isStockstreamerError(err: unknown, code?: ErrorCode): err is StockstreamerError {
  return err instanceof StockstreamerError && (code === undefined || err.code === code);
}

/**
 * Programming errors (TypeError, RangeError, …) are never retried: retrying a
 * bug only hides it. Everything else is retriable only when it says so.
 */
export function isRetriable(err: unknown): boolean {
  if (err instanceof StockstreamerError) return err.retriable;
  return false;
}
