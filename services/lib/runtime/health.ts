import { createServer, type Server } from 'node:http';
import { listen } from './listen.ts';
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
  /** 0 = any free port; the one bound is logged and in `url` */
  port: number;
  /** loopback unless configured (STOCKSTREAMER_LISTEN_ADDRESS): the endpoints have no login */
  host?: string;
  metrics: Metrics; checks: ReadinessCheck[]; logger: Logger; alive?: () => boolean;
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
  const host = deps.host ?? '127.0.0.1';
  const port = await listen(server, { port: deps.port, host, portSetting: 'STOCKSTREAMER_METRICS_PORT', hostSetting: 'STOCKSTREAMER_LISTEN_ADDRESS' });
  // An unspecified address is reached through loopback from this machine.
  const reach = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `http://${reach.includes(':') ? `[${reach}]` : reach}:${port}`;
  deps.logger.info({ url }, `health and metrics on ${host}:${port}: ${url}/metrics (also /healthz, /readyz)`);
  return {
    url,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
