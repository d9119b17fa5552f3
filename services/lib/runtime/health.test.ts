import { describe, expect, it } from 'vitest';
import { startServiceServer } from './health.ts';
import { createMetrics } from './metrics.ts';
import { silentLogger } from './logger.ts';

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
});
