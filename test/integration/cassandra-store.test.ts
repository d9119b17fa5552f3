import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStoreContract } from '../contract/store-contract.ts';
import { createCassandraStore, type CassandraStoreOptions } from '../../services/lib/io/store/cassandra.ts';
import { migrate } from '../../services/lib/io/store/migrate.ts';
import { silentLogger } from '../../services/lib/runtime/logger.ts';
import { isStockstreamerError } from '../../services/lib/runtime/errors.ts';

/**
 * The Cassandra store against the real Cassandra 5 of the local stack (`make up`).
 * No skipping: when Cassandra is down these tests fail, saying so.
 * One keyspace per file, random suffix, dropped at the end: other test files
 * and other engineers share the same server.
 */
const contactPoints = (process.env.STOCKSTREAMER_CASSANDRA_CONTACT_POINTS ?? `127.0.0.1:${process.env.CASSANDRA_PORT ?? 9042}`).split(',');
const localDataCenter = process.env.STOCKSTREAMER_CASSANDRA_DC ?? 'datacenter1';
const keyspace = `ss_store_${randomBytes(4).toString('hex')}`;
const logger = silentLogger();
const base: CassandraStoreOptions = { contactPoints, localDataCenter, keyspace, logger, tradeTtlSeconds: 3600 };

let admin: cassandra.Client;
let tables: string[] = [];

beforeAll(async () => {
  admin = new cassandra.Client({ contactPoints, localDataCenter });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`Cassandra is not reachable at ${contactPoints.join(',')} (start it with \`make up\`): ${(err as Error).message}`, { cause: err });
  }
  await migrate({ contactPoints, localDataCenter, keyspace, replicationFactor: 1, logger, seedCompanies: false });
  const rs = await admin.execute('SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?', [keyspace], { prepare: true });
  tables = rs.rows.map((r) => r.table_name as string).filter((t) => t !== 'schema_migrations');
});

afterAll(async () => {
  await admin?.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`).catch(() => {});
  await admin?.shutdown();
});

describeStoreContract('Cassandra', async () => {
  // TRUNCATE is ~50 ms a table here; a keyspace per test would cost seconds.
  await Promise.all(tables.map((t) => admin.execute(`TRUNCATE ${keyspace}.${t}`)));
  return createCassandraStore(base);
}, (store) => store.close());

describe('Cassandra store specifics', () => {
  const T = Date.UTC(2026, 10, 24, 12);

  it('writes raw trades with the configured TTL, and none when it is 0', async () => {
    const store = createCassandraStore({ ...base, tradeTtlSeconds: 3600 });
    const forever = createCassandraStore({ ...base, tradeTtlSeconds: 0 });
    try {
      await store.writeTrades([{ symbol: 'TTLA', price: 1, volume: 1, timestamp: T, seq: 0, conditions: [] }]);
      await forever.writeTrades([{ symbol: 'TTLB', price: 1, volume: 1, timestamp: T, seq: 0, conditions: [] }]);
      const ttl = async (symbol: string) => (await admin.execute(`SELECT TTL(price) AS ttl FROM ${keyspace}.trades_by_symbol WHERE symbol = ? AND day = ?`,
        [symbol, '2026-11-24'], { prepare: true })).rows[0]?.ttl as number | null;
      const limited = await ttl('TTLA');
      expect(limited).toBeGreaterThan(3500);
      expect(limited).toBeLessThanOrEqual(3600);
      expect(await ttl('TTLB')).toBeNull(); // USING TTL 0 overrides the table's default_time_to_live
    } finally {
      await store.close();
      await forever.close();
    }
  });

  it('stamps latest_prices with the event time: an older trade written later does not win, and writetime says why', async () => {
    const store = createCassandraStore(base);
    try {
      await store.writeTrades([{ symbol: 'WTS', price: 250, volume: 1, timestamp: T + 1000, seq: 2, conditions: [] }]);
      await store.writeTrades([{ symbol: 'WTS', price: 200, volume: 1, timestamp: T, seq: 7, conditions: [] }]);
      const [row] = (await admin.execute(`SELECT price, WRITETIME(price) AS wt FROM ${keyspace}.latest_prices WHERE symbol = ?`, ['WTS'], { prepare: true })).rows;
      expect(row?.price).toBe(250);
      expect(Number(row?.wt)).toBe((T + 1000) * 1000 + 2);
    } finally {
      await store.close();
    }
  });

  it('reads a tally written before schema 7 (no author count): counts only says null (unknown), a full read counts the set', async () => {
    const store = createCassandraStore(base);
    try {
      const day = Date.UTC(2026, 10, 20);
      // as a processor before 007_author_counts.cql wrote it: the set, no count
      await admin.execute(`INSERT INTO ${keyspace}.mention_days (day, ticker, scope, count, sentiment_sum, pos, neg, neu, upvotes, weighted, authors)
        VALUES ('2026-11-20', 'OLDT', '*', 3, 0.5, 1, 1, 1, 9, 9, {'a', 'b'})`);
      const read = (countsOnly: boolean) => store.mentionTallies({ grain: 'day', ticker: 'OLDT', scope: '*', fromMs: day, toMs: day + 86_400_000, countsOnly });
      expect((await read(true)).map((t) => [t.count, t.authorCount, t.authors])).toEqual([[3, null, []]]);
      expect((await read(false)).map((t) => [t.count, t.authorCount, t.authors])).toEqual([[3, 2, ['a', 'b']]]);
    } finally {
      await store.close();
    }
  });

  it('answers STORE_UNAVAILABLE (retriable) when Cassandra cannot be reached, and ping says false', async () => {
    // A port that accepts nothing: a listener bound then closed.
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const down = createCassandraStore({ ...base, contactPoints: [`127.0.0.1:${port}`], connectTimeoutMs: 1000 });
    try {
      expect(await down.ping()).toBe(false);
      const err = await down.writeCandles([{ symbol: 'X', minute: T, open: 1, high: 1, low: 1, close: 1, volume: 1, trades: 1 }], 1).catch((e: unknown) => e);
      expect(isStockstreamerError(err, 'STORE_UNAVAILABLE')).toBe(true);
      expect((err as { retriable: boolean }).retriable).toBe(true);
      expect((err as Error).cause).toBeInstanceOf(cassandra.errors.NoHostAvailableError);
      const read = await down.latestPrices().catch((e: unknown) => e);
      expect(isStockstreamerError(read, 'STORE_UNAVAILABLE')).toBe(true);
    } finally {
      await down.close();
    }
  });

  it('comes back by itself after an outage: STORE_UNAVAILABLE while the server is gone, writes succeed once it returns', async () => {
    // The shared Cassandra must stay up for everyone else, so the outage is a
    // TCP proxy in front of it that drops every connection and refuses new ones.
    const [host, port] = contactPoints[0]!.split(':') as [string, string?];
    const proxy = createProxy(host, Number(port ?? 9042));
    await proxy.open();
    const store = createCassandraStore({ ...base, contactPoints: [`127.0.0.1:${proxy.port}`], connectTimeoutMs: 1000 });
    const candle = (minute: number) => ({ symbol: 'OUTAGE', minute, open: 1, high: 1, low: 1, close: 1, volume: 1, trades: 1 });
    try {
      await store.writeCandles([candle(T)], 1);
      await proxy.close();
      const err = await store.writeCandles([candle(T + 60_000)], 1).catch((e: unknown) => e);
      expect(isStockstreamerError(err, 'STORE_UNAVAILABLE')).toBe(true);
      expect(await store.ping()).toBe(false);

      await proxy.open();
      const started = Date.now();
      for (;;) { // what the processor's retry loop does, without its backoff
        const e = await store.writeCandles([candle(T + 60_000)], 1).then(() => undefined, (e: unknown) => e);
        if (e === undefined) break;
        expect(isStockstreamerError(e, 'STORE_UNAVAILABLE')).toBe(true);
        expect(Date.now() - started).toBeLessThan(15_000);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect((await store.candles('OUTAGE', T, T + 120_000)).map((c) => c.minute)).toEqual([T, T + 60_000]);
    } finally {
      await store.close();
      await proxy.close();
    }
  });

  it('answers STORE_WRITE_FAILED (not retriable) when the statement itself is refused', async () => {
    const missing = createCassandraStore({ ...base, keyspace: `${keyspace}_missing` });
    try {
      const err = await missing.rawHorizon('trades').catch((e: unknown) => e);
      expect(isStockstreamerError(err, 'STORE_WRITE_FAILED')).toBe(true);
      expect((err as { retriable: boolean }).retriable).toBe(false);
      expect((err as Error).message).toMatch(/stockstreamer migrate/);
    } finally {
      await missing.close();
    }
  });
});

/** A TCP proxy that can be shut (every connection dropped, new ones refused) and reopened on the same port. */
function createProxy(targetHost: string, targetPort: number) {
  let server: Server | undefined;
  let port = 0;
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  return {
    get port() {
      return port;
    },
    async open() {
      server = createServer((client) => {
        const upstream = connect(targetPort, targetHost);
        track(client);
        track(upstream);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve, reject) => server!.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
      port = (server.address() as { port: number }).port;
    },
    async close() {
      const s = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}
