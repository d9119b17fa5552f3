import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

/**
 * The three endpoints every long-running service serves, for Kubernetes and
 * Prometheus:
 *   /healthz  200 while the process runs its loop (liveness: restart me if not)
 *   /readyz   200 only when every dependency answers (readiness: send me work)
 *   /metrics  Prometheus text format
 */
export interface ServiceServer {
  url: string;
  close(): Promise<void>;
}

export interface ReadinessCheck {
  name: string;
  /** resolves true when the dependency answers; must not hang (give it a timeout) */
  check(): Promise<boolean>;
}

const withTimeout = (p: Promise<boolean>, ms: number) =>
  Promise.race([p.catch(() => false), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);

export async function startServiceServer(deps: {
  port: number; host?: string; metrics: Metrics; checks: ReadinessCheck[]; logger: Logger; alive?: () => boolean;
}): Promise<ServiceServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') return reply(405, JSON.stringify({ error: 'GET only' }));
    if (path === '/healthz') {
      const ok = deps.alive?.() ?? true;
      return reply(ok ? 200 : 503, JSON.stringify({ status: ok ? 'ok' : 'stopping' }));
    }
    if (path === '/readyz') {
      void Promise.all(deps.checks.map(async (c) => [c.name, await withTimeout(c.check(), 2000)] as const)).then((results) => {
        const ready = results.every(([, ok]) => ok);
        reply(ready ? 200 : 503, JSON.stringify({ ready, checks: Object.fromEntries(results) }));
      });
      return;
    }
    if (path === '/metrics') {
      void deps.metrics.registry.metrics().then((text) => reply(200, text, deps.metrics.registry.contentType));
      return;
    }
    reply(404, JSON.stringify({ error: `no route ${path}; try /healthz, /readyz, /metrics` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  deps.logger.info(`health and metrics on :${port} (/healthz, /readyz, /metrics)`);
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
