import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isStockstreamerError } from '../../runtime/errors.ts';
import { silentLogger } from '../../runtime/logger.ts';
import type { OutgoingMessage } from './bus.ts';
import { createKafkaBus } from './kafka.ts';
import { createBoundedProducer, unacknowledged } from './kafka-producer.ts';
import type { ProducerSettings, ProducerTransport, TopicBatch } from './kafka-producer.ts';

const SETTINGS: ProducerSettings = {
  maxInFlightMessages: 100,
  maxInFlightBytes: 1024 * 1024,
  lingerMs: 0,
  maxRequestMessages: 1000,
  maxRequestBytes: 1024 * 1024,
  deliveryTimeoutMs: 60_000,
  closeTimeoutMs: 1000,
};

const msgs = (n: number, size = 10): OutgoingMessage[] =>
  Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: Buffer.alloc(size, i) }));

/** A broker we hold in our hand: each request waits until released. */
function heldTransport() {
  const requests: { batch: TopicBatch[]; release(err?: Error): void }[] = [];
  let resets = 0;
  const transport: ProducerTransport = {
    send: (batch) => new Promise<void>((resolve, reject) => requests.push({ batch, release: (err) => (err ? reject(err) : resolve()) })),
    reset: async () => {
      resets++;
    },
    close: async () => {},
  };
  return { transport, requests, resets: () => resets };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await tick();
  }
}

describe('bounded Kafka producer', () => {
  it('makes send() wait once the bound is in flight, and admits more as acknowledgements come back', async () => {
    const broker = heldTransport();
    const producer = createBoundedProducer(broker.transport, SETTINGS, { logger: silentLogger() });
    const settled: number[] = [];
    const sends = Array.from({ length: 30 }, (_, i) => producer.send('t', msgs(10)).then(() => settled.push(i)));
    await tick();

    // 100 messages in flight, the other 20 sends held back at the door
    expect(producer.stats()).toMatchObject({ inFlightMessages: 100, waitingSends: 20 });
    expect(broker.requests).toHaveLength(1);
    expect(settled).toEqual([]);

    // everything admitted meanwhile rides in the next request, in order
    broker.requests[0]!.release();
    await tick();
    expect(settled).toHaveLength(1);
    expect(producer.stats().inFlightMessages).toBeLessThanOrEqual(100);
    const second = broker.requests[1]!.batch;
    expect(second).toHaveLength(1);
    expect(second[0]!.messages).toHaveLength(90);

    while (settled.length < 30) {
      broker.requests.at(-1)!.release();
      await tick();
      expect(producer.stats().inFlightMessages).toBeLessThanOrEqual(100);
    }
    await Promise.all(sends);
    expect(settled).toEqual([...settled].sort((a, b) => a - b));
    expect(producer.stats()).toEqual({ inFlightMessages: 0, inFlightBytes: 0, waitingSends: 0 });
  });

  it('bounds bytes as well as messages, and admits a send larger than the bound alone', async () => {
    const broker = heldTransport();
    const producer = createBoundedProducer(broker.transport, { ...SETTINGS, maxInFlightBytes: 1000 }, { logger: silentLogger() });
    const big = producer.send('t', msgs(1, 5000));
    const small = producer.send('t', msgs(1, 10));
    await tick();
    expect(producer.stats()).toMatchObject({ inFlightMessages: 1, waitingSends: 1 });
    broker.requests[0]!.release();
    await big;
    await tick();
    broker.requests[1]!.release();
    await small;
  });

  it('retries a failed request on a fresh producer and gives up with BUS_UNAVAILABLE after the delivery timeout', async () => {
    const broker = heldTransport();
    const producer = createBoundedProducer(broker.transport, { ...SETTINGS, deliveryTimeoutMs: 400 }, { logger: silentLogger() });
    const sent = producer.send('t', msgs(5));
    const refused = () => Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:1'), { name: 'KafkaJSConnectionError' });
    for (let i = 0; i < 2; i++) {
      await until(() => broker.requests.length === i + 1);
      broker.requests[i]!.release(refused());
    }
    await until(() => broker.requests.length === 3);
    expect(broker.resets()).toBe(2);
    // the third attempt succeeds: the send resolves, nothing was lost
    broker.requests[2]!.release();
    await sent;

    let settled = false;
    const doomed = producer.send('t', msgs(5)).catch((err: unknown) => err).finally(() => (settled = true));
    let released = 3;
    while (!settled) {
      await tick();
      for (; released < broker.requests.length; released++) broker.requests[released]!.release(refused());
    }
    const err = await doomed;
    expect(isStockstreamerError(err, 'BUS_UNAVAILABLE')).toBe(true);
    expect((err as Error).cause).toBeDefined();
    expect(producer.stats().inFlightMessages).toBe(0);
  });

  it('rejects at once what a retry cannot fix, and keeps programming errors as they are', async () => {
    const broker = heldTransport();
    const producer = createBoundedProducer(broker.transport, SETTINGS, { logger: silentLogger() });
    const sent = producer.send('t', msgs(1)).catch((err: unknown) => err);
    await tick();
    const tooLarge = Object.assign(new Error('The request included a message larger than the max message size the server will accept'), {
      name: 'KafkaJSProtocolError', type: 'MESSAGE_TOO_LARGE', retriable: false,
    });
    broker.requests[0]!.release(tooLarge);
    const rejected = (await sent) as { code: string; retriable: boolean; cause: unknown };
    expect(rejected.code).toBe('BUS_REJECTED');
    expect(rejected.retriable).toBe(false);
    expect(rejected.cause).toBe(tooLarge);
    expect(broker.resets()).toBe(1); // its sequence numbers are not trusted any more
    await expect(producer.send('', msgs(1))).rejects.toThrow(TypeError);
  });

  it('flushes on close, then refuses new sends', async () => {
    const broker = heldTransport();
    const producer = createBoundedProducer(broker.transport, SETTINGS, { logger: silentLogger() });
    const sends = [producer.send('t', msgs(60)), producer.send('t', msgs(60))];
    await tick();
    const closed = producer.close();
    broker.requests[0]!.release();
    await tick();
    broker.requests[1]!.release();
    await closed;
    await Promise.all(sends);
    await expect(producer.send('t', msgs(1))).rejects.toThrow(/closed/);
  });

  it('close gives up after closeTimeoutMs and rejects what is still held', async () => {
    const broker = heldTransport();
    const producer = createBoundedProducer(broker.transport, { ...SETTINGS, closeTimeoutMs: 100 }, { logger: silentLogger() });
    const held = producer.send('t', msgs(100)).catch((err: unknown) => err);
    const waiting = producer.send('t', msgs(100)).catch((err: unknown) => err);
    await tick();
    await producer.close();
    broker.requests[0]!.release(Object.assign(new Error('connection closed'), { name: 'KafkaJSConnectionClosedError' }));
    expect(isStockstreamerError(await held, 'BUS_UNAVAILABLE')).toBe(true);
    expect(isStockstreamerError(await waiting, 'BUS_UNAVAILABLE')).toBe(true);
    expect(producer.stats()).toEqual({ inFlightMessages: 0, inFlightBytes: 0, waitingSends: 0 });
  });
});

describe('Kafka bus producer without a reachable broker', () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  /** accepts connections and never answers: a broker that hangs */
  async function stalledBroker(): Promise<number> {
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', () => {});
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return (server.address() as AddressInfo).port;
  }

  /** a port nothing listens on */
  async function deadPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise((r) => server.close(r));
    return port;
  }

  it.each([
    ['stalled (accepts, never answers)', stalledBroker],
    ['unreachable (connection refused)', deadPort],
  ])('%s: sends block at the bound instead of piling up, then fail as BUS_UNAVAILABLE with the cause', async (_name, broker) => {
    const port = await broker();
    const bus = createKafkaBus({
      brokers: [`127.0.0.1:${port}`],
      clientId: 'bounded-test',
      logger: silentLogger(),
      connectionTimeoutMs: 300,
      requestTimeoutMs: 300,
      producer: { maxInFlightMessages: 50, deliveryTimeoutMs: 1500, closeTimeoutMs: 200 },
    });
    const producer = bus.producer();
    const results: unknown[] = [];
    const sends = Array.from({ length: 40 }, () => producer.send('t', msgs(10)).then(() => 'ok', (err: unknown) => err));
    for (const s of sends) void s.then((r) => results.push(r));

    let maxSeen = 0;
    for (let i = 0; i < 20; i++) {
      await tick();
      maxSeen = Math.max(maxSeen, producer.stats().inFlightMessages);
    }
    expect(maxSeen).toBe(50);
    expect(producer.stats().waitingSends).toBe(35);
    expect(results).toEqual([]);

    const first = await sends[0]!;
    expect(isStockstreamerError(first, 'BUS_UNAVAILABLE')).toBe(true);
    expect((first as Error).cause).toBeDefined();
    expect((first as Error & { retriable: boolean }).retriable).toBe(true);
    await bus.close();
    const all = await Promise.all(sends);
    expect(all.every((r) => isStockstreamerError(r, 'BUS_UNAVAILABLE'))).toBe(true);
  }, 15_000);

  it('a request counts as acknowledged only when every partition it carried is in the answer', () => {
    const sent = new Set(['t/0', 't/1', 'u/0']);
    // kafkajs' answer after a leader moved mid-request: t/1's new leader had answered for t/0 already
    expect(unacknowledged(sent, [{ topicName: 't', partition: 0 }, { topicName: 'u', partition: 0 }])).toEqual(['t/1']);
    expect(unacknowledged(sent, [{ topicName: 'u', partition: 0 }, { topicName: 't', partition: 1 }, { topicName: 't', partition: 0 }])).toEqual([]);
  });

  it('ping and ensureTopics report an unreachable broker as BUS_UNAVAILABLE (readiness)', async () => {
    const port = await deadPort();
    const bus = createKafkaBus({ brokers: [`127.0.0.1:${port}`], clientId: 'ping-test', logger: silentLogger(), connectionTimeoutMs: 300 });
    for (const attempt of [bus.ping(), bus.ensureTopics([]), bus.ensureTopics([{ name: 't', partitions: 1 }])]) {
      const err = await attempt.then(() => undefined, (e: unknown) => e);
      expect(isStockstreamerError(err, 'BUS_UNAVAILABLE')).toBe(true);
    }
    await bus.close();
  });
});
