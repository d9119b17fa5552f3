import { COMPATIBILITY, SchemaRegistry as ConfluentClient, SchemaType } from '@kafkajs/confluent-schema-registry';
import { StockstreamerError } from '../../runtime/errors.ts';
import type { Logger } from '../../runtime/logger.ts';
import { normalizedSchema, parseAvroType } from './avro-type.ts';
import type { SchemaRegistry } from './registry.ts';

/**
 * The SchemaRegistry port on a Confluent-API registry (Confluent Schema
 * Registry on the cluster, AxonOps on the local stack), through
 * @kafkajs/confluent-schema-registry for registration.
 *
 * - Each subject gets compatibility BACKWARD explicitly (PUT /config/{subject})
 *   before its first registration in this process, so the rule holds whatever
 *   the registry's global default is; the library then checks the subject's
 *   level matches before it registers.
 * - Schemas are sent in avsc's normalised form (the memory registry's notion
 *   of "the same schema"), so a respelled but equal schema gets the same id.
 * - getSchema reads GET /schemas/ids/{id} and keeps the JSON (ids never change
 *   meaning, so it is cached for good); the library's getSchema would return
 *   a parsed avsc Type of its own avsc copy, not the JSON the port promises.
 *
 * Errors: unreachable, timed out or 5xx → REGISTRY_UNAVAILABLE (retriable);
 * 409 (incompatible) and 422 (invalid schema) → SCHEMA_INCOMPATIBLE;
 * 401/403 → CREDENTIALS_INVALID; an id the registry does not know →
 * DECODE_UNKNOWN_SCHEMA. The original error is always the cause.
 */
export interface ConfluentRegistryOptions {
  /** base URL, e.g. http://127.0.0.1:8081 */
  url: string;
  logger: Logger;
  /** milliseconds per HTTP request */
  timeoutMs?: number;
  /** retries of a failed HTTP request (network error or 5xx) inside one call */
  retries?: number;
  /** HTTP basic auth (Confluent Cloud API key/secret); from credentials.ini, never logged */
  auth?: { username: string; password: string };
}

interface HttpError {
  status?: number;
  message?: string;
  name?: string;
}

export function createConfluentRegistry(options: ConfluentRegistryOptions): SchemaRegistry {
  let base: URL;
  try {
    base = new URL(options.url);
  } catch (cause) {
    throw new StockstreamerError('CONFIG_INVALID', `schema registry url ${JSON.stringify(options.url)} is not a URL`, { cause, details: { key: 'STOCKSTREAMER_REGISTRY_URL' } });
  }
  const url = base.href.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5000; // milliseconds
  const retries = options.retries ?? 2;
  const logger = options.logger.child({ registry: base.host });
  const client = new ConfluentClient({
    host: url,
    clientId: 'stockstreamer',
    retry: { retries, initialRetryTimeInSecs: 0.1, maxRetryTimeInSecs: 2 },
    ...(options.auth ? { auth: options.auth } : {}),
  });
  const authHeader: Record<string, string> = options.auth
    ? { authorization: `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}` }
    : {};
  const configured = new Map<string, Promise<void>>();
  const schemas = new Map<number, Promise<object>>();

  async function http(method: 'GET' | 'PUT', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      try {
        const res = await fetch(`${url}${path}`, {
          method,
          headers: { accept: 'application/vnd.schemaregistry.v1+json, application/json', ...authHeader, ...(body === undefined ? {} : { 'content-type': 'application/vnd.schemaregistry.v1+json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.text();
        let json: unknown = text;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          // keep the text: it is only used in messages
        }
        if (res.status >= 500) {
          lastError = Object.assign(new Error(`${method} ${path}: HTTP ${res.status} ${messageOf(json)}`), { status: res.status });
          continue;
        }
        return { status: res.status, json };
      } catch (err) {
        lastError = err;
      }
    }
    throw unavailable(`${method} ${path}`, lastError);
  }

  function unavailable(what: string, cause: unknown): StockstreamerError {
    return new StockstreamerError('REGISTRY_UNAVAILABLE', `schema registry ${url}: ${what} failed (${(cause as Error)?.message ?? String(cause)})`, { cause, details: { url } });
  }

  /** errors of the library's HTTP client (mappersmith): status 400 with no answer means the request never got one */
  function mapClientError(err: unknown, subject: string): unknown {
    if (err instanceof StockstreamerError) return err;
    const e = err as HttpError;
    const status = e.status;
    const message = e.message ?? String(err);
    if (status === 409) {
      return new StockstreamerError('SCHEMA_INCOMPATIBLE', `subject ${subject}: the registry rejected the schema as not BACKWARD compatible: ${message}`, { cause: err, details: { subject, status } });
    }
    if (status === 422) {
      return new StockstreamerError('SCHEMA_INCOMPATIBLE', `subject ${subject}: the registry rejected the schema as invalid: ${message}`, { cause: err, details: { subject, status, reason: 'invalid Avro schema' } });
    }
    if (status === 401 || status === 403) {
      return new StockstreamerError('CREDENTIALS_INVALID', `schema registry ${url} refused the credentials (HTTP ${status})`, { cause: err, details: { key: 'schema_registry', status } });
    }
    if (status === undefined || status >= 500 || /network|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ETIMEDOUT|timeout|socket hang up/i.test(message)) {
      return unavailable(`register ${subject}`, err);
    }
    return err;
  }

  function configureSubject(subject: string): Promise<void> {
    let pending = configured.get(subject);
    if (!pending) {
      pending = (async () => {
        const { status, json } = await http('PUT', `/config/${encodeURIComponent(subject)}`, { compatibility: 'BACKWARD' });
        if (status === 401 || status === 403) throw mapClientError({ status, message: messageOf(json) }, subject);
        if (status !== 200) throw new Error(`PUT /config/${subject}: HTTP ${status} ${messageOf(json)}`);
      })();
      configured.set(subject, pending);
      pending.catch(() => configured.delete(subject));
    }
    return pending;
  }

  return {
    async register(subject, schema) {
      if (typeof subject !== 'string' || subject === '') throw new TypeError('subject must be a non-empty string');
      let text: string;
      try {
        text = normalizedSchema(parseAvroType(schema));
      } catch (cause) {
        throw new StockstreamerError('SCHEMA_INCOMPATIBLE', `subject ${subject}: not a valid Avro schema: ${(cause as Error).message}`, {
          cause,
          details: { subject, reason: 'invalid Avro schema' },
        });
      }
      await configureSubject(subject);
      try {
        const { id } = await client.register({ type: SchemaType.AVRO, schema: text }, { subject, compatibility: COMPATIBILITY.BACKWARD });
        logger.debug({ subject, schemaId: id }, 'schema registered');
        return id;
      } catch (err) {
        throw mapClientError(err, subject);
      }
    },

    getSchema(id) {
      if (!Number.isInteger(id) || id < 0) {
        return Promise.reject(new StockstreamerError('DECODE_UNKNOWN_SCHEMA', `schema id ${id} is not a valid id`, { details: { schemaId: id } }));
      }
      let pending = schemas.get(id);
      if (!pending) {
        pending = (async () => {
          const { status, json } = await http('GET', `/schemas/ids/${id}`);
          if (status === 404) {
            throw new StockstreamerError('DECODE_UNKNOWN_SCHEMA', `schema id ${id} is not registered`, { details: { schemaId: id } });
          }
          if (status === 401 || status === 403) throw mapClientError({ status, message: messageOf(json) }, `schema id ${id}`);
          const body = json as { schema?: unknown; schemaType?: unknown } | undefined;
          if (status !== 200 || typeof body?.schema !== 'string') {
            throw unavailable(`GET /schemas/ids/${id}`, new Error(`HTTP ${status} ${messageOf(json)}`));
          }
          if (body.schemaType !== undefined && body.schemaType !== 'AVRO') {
            throw new StockstreamerError('DECODE_UNKNOWN_SCHEMA', `schema id ${id} is a ${String(body.schemaType)} schema, not Avro`, { details: { schemaId: id, reason: 'not Avro' } });
          }
          return deepFrozen(JSON.parse(body.schema) as object);
        })();
        schemas.set(id, pending);
        // an outage or an id registered a moment later must not stick
        pending.catch(() => schemas.delete(id));
      }
      return pending;
    },
  };
}

function messageOf(json: unknown): string {
  if (json && typeof json === 'object' && 'message' in json) return String((json as { message: unknown }).message);
  return typeof json === 'string' ? json.slice(0, 200) : '';
}

function deepFrozen(value: object): object {
  for (const v of Object.values(value)) if (v !== null && typeof v === 'object') deepFrozen(v as object);
  return Object.freeze(value);
}
