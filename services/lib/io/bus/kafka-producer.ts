import kafkajs from 'kafkajs';
import type { Kafka, PartitionMetadata, Producer, RecordMetadata, TopicMessages } from 'kafkajs';
import { StockstreamerError, isRetriable } from '../../runtime/errors.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { Metrics } from '../../runtime/metrics.ts';
import type { BusProducer, OutgoingMessage } from './bus.ts';
import { toBusError } from './kafka-client.ts';

const { CompressionTypes, Partitioners } = kafkajs;

/**
 * The producer side of the Kafka bus: a bounded queue in front of one kafkajs
 * producer.
 *
 *   send()  ──admit (waits while the bound is full)──► queue ──one request at a time──► broker (acks=all)
 *     ▲                                                                                   │
 *     └──────────────── resolves when the broker acknowledged its messages ◄───────────────┘
 *
 * Messages count against the bound from the moment they are admitted until the
 * broker acknowledged them (or they failed), so a slow or stopped broker makes
 * send() wait instead of growing memory: the back-pressure reaches the source.
 * A send larger than the whole bound is admitted alone, when nothing else is
 * in flight, so it can never deadlock.
 *
 * One request at a time keeps the idempotent producer's sequence numbers in
 * order and makes everything queued meanwhile ride in the next request
 * (batching for free). After a failed request the kafkajs producer is
 * replaced (new producer id, fresh sequences) before the retry: kafkajs rolls
 * its sequences back on failure, and reusing them for a request the broker
 * may already have written would let the broker drop a different batch as a
 * "duplicate". A retried request may therefore be written twice; every
 * consumer write is an idempotent upsert (invariant 1), so that is harmless.
 */
export interface ProducerSettings {
  /** messages admitted and not yet acknowledged, at most */
  maxInFlightMessages: number;
  /** bytes (keys + values + headers) admitted and not yet acknowledged, at most */
  maxInFlightBytes: number;
  /** milliseconds the sender waits for more messages before a request when fewer than maxRequestMessages are queued */
  lingerMs: number;
  /** messages per produce request at most */
  maxRequestMessages: number;
  /** bytes per produce request at most (the broker's message.max.bytes is per partition batch, 1 MiB by default) */
  maxRequestBytes: number;
  /** milliseconds a message may wait for its acknowledgement, retries included, before send() rejects with BUS_UNAVAILABLE */
  deliveryTimeoutMs: number;
  /** milliseconds close() waits for what is queued to be acknowledged before rejecting the rest */
  closeTimeoutMs: number;
}

/** One produce request, acks=all: what the bounded queue needs from Kafka. */
export interface ProducerTransport {
  send(batch: TopicBatch[]): Promise<void>;
  /** forget the producer id and its sequence numbers: called after a failed request, before the retry */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface TopicBatch {
  topic: string;
  messages: OutgoingMessage[];
}

export interface ProducerStats {
  /** messages admitted and not yet acknowledged */
  inFlightMessages: number;
  inFlightBytes: number;
  /** send() calls waiting for room */
  waitingSends: number;
}

export interface KafkaBusProducer extends BusProducer {
  stats(): ProducerStats;
}

interface Entry {
  topic: string;
  messages: OutgoingMessage[];
  bytes: number;
  deadline: number;
  resolve(): void;
  reject(err: unknown): void;
}

interface Waiter {
  count: number;
  bytes: number;
  admit(): void;
}

const RETRY_MIN_MS = 100; // milliseconds
const RETRY_MAX_MS = 2000; // milliseconds

export function createBoundedProducer(
  transport: ProducerTransport,
  settings: ProducerSettings,
  deps: { logger: Logger; metrics?: Metrics; onClose?: () => void },
): KafkaBusProducer {
  const queue: Entry[] = [];
  const waiters: Waiter[] = [];
  let inFlightMessages = 0;
  let inFlightBytes = 0;
  let sending: Promise<void> | undefined;
  let closing = false;
  /** set when close() gave up: everything still queued is rejected */
  let abandoned: StockstreamerError | undefined;
  let wakeSender: (() => void) | undefined;

  const fits = (count: number, bytes: number) =>
    inFlightMessages === 0 || (inFlightMessages + count <= settings.maxInFlightMessages && inFlightBytes + bytes <= settings.maxInFlightBytes);

  const admitWaiters = () => {
    while (waiters.length > 0 && fits(waiters[0]!.count, waiters[0]!.bytes)) {
      const w = waiters.shift()!;
      inFlightMessages += w.count;
      inFlightBytes += w.bytes;
      w.admit();
    }
  };

  const release = (entries: Entry[]) => {
    for (const e of entries) {
      inFlightMessages -= e.messages.length;
      inFlightBytes -= e.bytes;
    }
    admitWaiters();
  };

  const takeRequest = (): Entry[] => {
    const out: Entry[] = [];
    let count = 0;
    let bytes = 0;
    while (queue.length > 0) {
      const next = queue[0]!;
      if (out.length > 0 && (count + next.messages.length > settings.maxRequestMessages || bytes + next.bytes > settings.maxRequestBytes)) break;
      out.push(queue.shift()!);
      count += next.messages.length;
      bytes += next.bytes;
    }
    return out;
  };

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeSender = undefined;
        resolve();
      }
      wakeSender = done;
    });

  async function deliver(entries: Entry[]): Promise<void> {
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const e of entries) {
      const list = byTopic.get(e.topic);
      if (list) list.push(...e.messages);
      else byTopic.set(e.topic, [...e.messages]);
    }
    const batch = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    const deadline = Math.min(...entries.map((e) => e.deadline));
    let delay = RETRY_MIN_MS;
    for (let attempt = 1; ; attempt++) {
      if (abandoned) throw abandoned;
      try {
        await transport.send(batch);
        return;
      } catch (err) {
        // Whatever failed, the next request starts on a fresh producer id: kafkajs
        // rolled back the sequences of every partition in the request, also of
        // those the broker may have written before another one failed.
        await transport.reset().catch(() => {});
        const mapped = toBusError(err, 'produce', { topics: [...byTopic.keys()] });
        if (!isRetriable(mapped)) throw mapped;
        deps.metrics?.errors.inc({ code: 'BUS_UNAVAILABLE' });
        const wait = Math.min(delay, RETRY_MAX_MS) * (0.8 + Math.random() * 0.4);
        if (Date.now() + wait >= deadline || abandoned) {
          throw abandoned ?? new StockstreamerError('BUS_UNAVAILABLE', `produce: not acknowledged within ${settings.deliveryTimeoutMs} ms (${(err as Error).message})`, {
            cause: err,
            details: { topics: [...byTopic.keys()], attempts: attempt },
          });
        }
        deps.logger.warn({ code: 'BUS_UNAVAILABLE', attempt, topics: [...byTopic.keys()] }, `produce failed (${(err as Error).message}); retrying`);
        await pause(wait);
        delay *= 2;
      }
    }
  }

  async function runSender(): Promise<void> {
    while (queue.length > 0) {
      const queued = queue.reduce((n, e) => n + e.messages.length, 0);
      if (settings.lingerMs > 0 && queued < settings.maxRequestMessages && !closing) await pause(settings.lingerMs);
      const entries = takeRequest();
      try {
        await deliver(entries);
        for (const e of entries) e.resolve();
      } catch (err) {
        for (const e of entries) e.reject(err);
      } finally {
        release(entries);
      }
    }
  }

  const kick = () => {
    if (sending) return;
    sending = runSender().finally(() => {
      sending = undefined;
      if (queue.length > 0) kick();
    });
  };

  const sizeOf = (messages: OutgoingMessage[]) => {
    let bytes = 0;
    for (const m of messages) {
      bytes += m.value.length + (m.key === null ? 0 : Buffer.byteLength(m.key));
      if (m.headers) for (const [k, v] of Object.entries(m.headers)) bytes += k.length + Buffer.byteLength(v);
    }
    return bytes;
  };

  return {
    async send(topic, messages) {
      if (closing) throw new Error(`producer is closed: cannot send to ${topic}`);
      if (typeof topic !== 'string' || topic === '') throw new TypeError('topic must be a non-empty string');
      if (messages.length === 0) return;
      const bytes = sizeOf(messages);
      if (waiters.length === 0 && fits(messages.length, bytes)) {
        inFlightMessages += messages.length;
        inFlightBytes += bytes;
      } else {
        await new Promise<void>((admit) => waiters.push({ count: messages.length, bytes, admit }));
        if (abandoned) {
          inFlightMessages -= messages.length;
          inFlightBytes -= bytes;
          throw abandoned;
        }
      }
      return new Promise<void>((resolve, reject) => {
        queue.push({ topic, messages, bytes, deadline: Date.now() + settings.deliveryTimeoutMs, resolve, reject });
        // a full request need not linger
        if (queue.length > 0 && wakeSender && inFlightMessages >= settings.maxRequestMessages) wakeSender();
        kick();
      });
    },

    async close() {
      if (closing) return;
      closing = true;
      wakeSender?.();
      const drained = (async () => {
        // inFlightMessages covers admitted sends until their request settled,
        // also the moment between admission and joining the queue
        while (inFlightMessages > 0 || waiters.length > 0) {
          if (sending) await sending;
          else await new Promise((r) => setTimeout(r, 5));
        }
      })();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), settings.closeTimeoutMs);
      });
      const outcome = await Promise.race([drained.then(() => 'drained' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        abandoned = new StockstreamerError('BUS_UNAVAILABLE', `producer closed after ${settings.closeTimeoutMs} ms with messages not acknowledged`, {
          details: { inFlightMessages, waitingSends: waiters.length },
        });
        deps.logger.error({ code: 'BUS_UNAVAILABLE', inFlightMessages, waitingSends: waiters.length }, abandoned.message);
        const stranded = queue.splice(0);
        for (const e of stranded) e.reject(abandoned);
        release(stranded);
        // waiting sends are admitted and see `abandoned`
        for (const w of waiters.splice(0)) {
          inFlightMessages += w.count;
          inFlightBytes += w.bytes;
          w.admit();
        }
        wakeSender?.();
      }
      await transport.close();
      deps.onClose?.();
    },

    stats() {
      return { inFlightMessages, inFlightBytes, waitingSends: waiters.length };
    },
  };
}

export interface KafkaTransportOptions {
  idempotent: boolean;
  compression: 'none' | 'gzip';
  /** milliseconds the broker may take to replicate before answering acks=all */
  ackTimeoutMs: number;
  /** partitions of a topic (one metadata request; the transport keeps the answer until its next reset) */
  partitionCount(topic: string): Promise<number>;
}

/**
 * The topic-partitions a request carried that its answer does not acknowledge.
 *
 * kafkajs 2.2.4 resolves a sendBatch without sending some of its messages when a
 * leader moves in the middle of it: its retry keeps the answers of the brokers that
 * already answered and sends only to brokers without one, so a partition whose new
 * leader is a broker that answered for other partitions is never sent, and the call
 * succeeds (found by test/nodes/kafka-leader-kill.test.ts: 32 of 14,500 acknowledged
 * records missing from the topics after a broker was killed). Every partition must
 * therefore appear in the answer; one that does not is retried like a failed request.
 */
export function unacknowledged(sent: ReadonlySet<string>, answer: readonly Pick<RecordMetadata, 'topicName' | 'partition'>[]): string[] {
  const acked = new Set(answer.map((r) => `${r.topicName}/${r.partition}`));
  return [...sent].filter((tp) => !acked.has(tp)).sort();
}

/**
 * The kafkajs producer behind the queue: acks=all, idempotent (InitProducerId
 * + sequence numbers; verified against Kafka 4 by the integration tests), the
 * Java client's murmur2 partitioner so a key lands where any other client
 * would put it. kafkajs' own retries are kept short: the queue owns the
 * overall delivery deadline and restarts the producer between attempts.
 */
export function createKafkaTransport(kafka: Kafka, options: KafkaTransportOptions): ProducerTransport {
  let producer: Producer | undefined;
  let connecting: Promise<Producer> | undefined;
  // kafkajs' own partitioner (the Java client's murmur2 for keyed messages), applied
  // here so that the transport knows every partition a request must acknowledge
  const partitioner = Partitioners.DefaultPartitioner();
  const partitions = new Map<string, PartitionMetadata[]>();
  const partitionsOf = async (topic: string): Promise<PartitionMetadata[]> => {
    let p = partitions.get(topic);
    if (p === undefined) {
      const n = await options.partitionCount(topic);
      // only the count matters for a keyed message; a keyless one goes round the partitions
      p = Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [], isr: [], offlineReplicas: [] }));
      partitions.set(topic, p);
    }
    return p;
  };

  const connected = (): Promise<Producer> => {
    if (producer) return Promise.resolve(producer);
    connecting ??= (async () => {
      const p = kafka.producer({
        idempotent: options.idempotent,
        maxInFlightRequests: options.idempotent ? 1 : 5,
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
        retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
      });
      try {
        await p.connect();
      } catch (err) {
        await p.disconnect().catch(() => {});
        throw err;
      }
      producer = p;
      return p;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const drop = async () => {
    const p = producer;
    producer = undefined;
    partitions.clear();
    await p?.disconnect().catch(() => {});
  };

  return {
    async send(batch) {
      const p = await connected();
      const sent = new Set<string>();
      const topicMessages: TopicMessages[] = await Promise.all(batch.map(async ({ topic, messages }) => {
        const partitionMetadata = await partitionsOf(topic);
        return {
          topic,
          messages: messages.map((m) => {
            const partition = partitioner({ topic, partitionMetadata, message: { key: m.key, value: m.value } });
            sent.add(`${topic}/${partition}`);
            return {
              key: m.key,
              value: m.value,
              partition,
              headers: m.headers,
              timestamp: m.timestamp === undefined ? undefined : String(m.timestamp),
            };
          }),
        };
      }));
      const answer = await p.sendBatch({
        topicMessages,
        acks: -1,
        timeout: options.ackTimeoutMs,
        compression: options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
      });
      const missing = unacknowledged(sent, answer);
      if (missing.length > 0) {
        throw new StockstreamerError('BUS_UNAVAILABLE', `produce: Kafka did not acknowledge ${missing.length} partition(s) of the request (${missing.slice(0, 5).join(', ')}): a leader moved while it was sent; sending it again`, {
          details: { missing },
        });
      }
    },
    reset: drop,
    close: drop,
  };
}
