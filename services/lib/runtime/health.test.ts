import { describe, expect, it } from 'vitest';
import { startServiceServer } from './health.ts';
import { createMetrics } from './metrics.ts';
import { silentLogger } from './logger.ts';
import { isStockstreamerError } from './errors.ts';
import { connect } from 'node:net';

/** true when a TCP connection to host:port is accepted */
const reachable = (host: string, port: number) => new Promise<boolean>((resolve) => {
  const socket = connect({ host, port }, () => { socket.destroy(); resolve(true); });
  socket.once('error', () => resolve(false));
});

describe('service endpoints', () => {
  it('is ready only when every dependency answers, and serves Prometheus metrics', async () => {
    let kafkaUp = false;
    const metrics = createMetrics();
    metrics.recordsIn.inc({ topic: 'stock-trades' }, 3);
    const server = await startServiceServer({
      port: 0, host: '127.0.0.1', metrics, logger: silentLogger(),
      checks: [{ name: 'kafka', check: async () => kafkaUp }, { name: 'cassandra', check: async () => true }],
    });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const notReady = await fetch(`${server.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({ ready: false, checks: { kafka: false, cassandra: true } });
      kafkaUp = true;
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const text = await (await fetch(`${server.url}/metrics`)).text();
      expect(text).toContain('stockstreamer_records_in_total{topic="stock-trades"} 3');
      expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('a check that hangs counts as not ready instead of hanging the probe', async () => {
    const server = await startServiceServer({
      port: 0, host: '127.0.0.1', metrics: createMetrics(), logger: silentLogger(),
      checks: [{ name: 'stuck', check: () => new Promise<boolean>(() => {}) }],
    });
    try {
      const started = Date.now();
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await server.close();
    }
  });

  it('listens on loopback unless told otherwise: the endpoints have no login', async () => {
    const local = await startServiceServer({ port: 0, metrics: createMetrics(), logger: silentLogger(), checks: [] });
    const everywhere = await startServiceServer({ port: 0, host: '0.0.0.0', metrics: createMetrics(), logger: silentLogger(), checks: [] });
    try {
      const localPort = Number(new URL(local.url).port);
      const everywherePort = Number(new URL(everywhere.url).port);
      expect(local.url).toBe(`http://127.0.0.1:${localPort}`);
      expect(await reachable('127.0.0.1', localPort)).toBe(true);
      // 127.0.0.2 is this machine too, but not the address bound: only 0.0.0.0 answers there
      expect(await reachable('127.0.0.2', localPort)).toBe(false);
      expect(await reachable('127.0.0.2', everywherePort)).toBe(true);
      expect(everywhere.url).toBe(`http://127.0.0.1:${everywherePort}`);
    } finally {
      await local.close();
      await everywhere.close();
    }
  });

  it('a port another process holds is PORT_IN_USE: one line naming the address and the setting', async () => {
    const first = await startServiceServer({ port: 0, metrics: createMetrics(), logger: silentLogger(), checks: [] });
    const port = Number(new URL(first.url).port);
    try {
      const err = await startServiceServer({ port, metrics: createMetrics(), logger: silentLogger(), checks: [] }).catch((e: unknown) => e);
      expect(isStockstreamerError(err, 'PORT_IN_USE'), String(err)).toBe(true);
      expect((err as Error).message).toBe(`127.0.0.1:${port} (STOCKSTREAMER_METRICS_PORT) is already in use by another process`);
      const notHere = await startServiceServer({ port: 0, host: '203.0.113.77', metrics: createMetrics(), logger: silentLogger(), checks: [] }).catch((e: unknown) => e);
      expect(isStockstreamerError(notHere, 'CONFIG_INVALID'), String(notHere)).toBe(true);
      expect((notHere as Error).message).toMatch(/^203\.0\.113\.77 is not an address of this machine; set STOCKSTREAMER_LISTEN_ADDRESS/);
    } finally {
      await first.close();
    }
  });
});
