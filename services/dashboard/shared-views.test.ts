import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../lib/io/store/sqlite.ts';
import type { Store } from '../lib/io/store/repository.ts';
import { silentLogger } from '../lib/runtime/logger.ts';
import { createDashboardServer } from './server.ts';
import { createSharedViews, viewKey } from './shared-views.ts';

const deferred = () => {
  let resolve!: (v: string) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<string>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
};

describe('shared views', () => {
  it('computes a view once for every request asking while it is fresh, then refreshes it once, serving the last answer meanwhile', async () => {
    let t = 0;
    const views = createSharedViews({ maxAgeMs: 1000, maxStaleMs: 5000, maxViews: 10, now: () => t });
    let calls = 0;
    const pending = [deferred(), deferred()];
    const compute = () => pending[calls++]!.promise;
    const first = Array.from({ length: 50 }, () => views.get('/api/prices?', compute));
    pending[0]!.resolve('A');
    expect(await Promise.all(first)).toEqual(Array(50).fill('A'));
    expect(calls).toBe(1);

    t = 999;
    expect(await views.get('/api/prices?', compute)).toBe('A');
    expect(calls).toBe(1);
    t = 1500; // stale: answered at once with the last answer, one refresh started
    expect(await Promise.all([views.get('/api/prices?', compute), views.get('/api/prices?', compute)])).toEqual(['A', 'A']);
    expect(calls).toBe(2);
    pending[1]!.resolve('B');
    await pending[1]!.promise;
    expect(await views.get('/api/prices?', compute)).toBe('B');
    expect(calls).toBe(2);
  });

  it('refreshes a view that is slow to compute less often: fresh for costFactor times its computation', async () => {
    let t = 0;
    const views = createSharedViews({ maxAgeMs: 1000, maxStaleMs: 5000, maxViews: 10, costFactor: 5, now: () => t });
    let calls = 0;
    const slow = async () => {
      t += 600; // the computation takes 600 ms
      calls++;
      return `v${calls}`;
    };
    expect(await views.get('ranking', slow)).toBe('v1');
    t += 2999; // 5 × 600 ms = 3 s: still fresh
    expect(await views.get('ranking', slow)).toBe('v1');
    expect(calls).toBe(1);
    t += 2;
    expect(await views.get('ranking', slow)).toBe('v1'); // stale now: served, refreshed once
    expect(calls).toBe(2);
  });

  it('makes a request wait for the refresh once the answer is older than maxStaleMs', async () => {
    let t = 0;
    const views = createSharedViews({ maxAgeMs: 1000, maxStaleMs: 5000, maxViews: 10, now: () => t });
    let n = 0;
    await views.get('k', async () => `v${n++}`);
    t = 6000;
    expect(await views.get('k', async () => `v${n++}`)).toBe('v1');
  });

  it('keeps no error: every waiter gets it, the next request computes again', async () => {
    const views = createSharedViews({ maxAgeMs: 1000, maxStaleMs: 5000, maxViews: 10 });
    const d = deferred();
    const a = views.get('k', () => d.promise);
    const b = views.get('k', () => Promise.resolve('never asked'));
    d.reject(new Error('store down'));
    await expect(a).rejects.toThrow('store down');
    await expect(b).rejects.toThrow('store down');
    expect(views.size).toBe(0);
    expect(await views.get('k', async () => 'back')).toBe('back');
  });

  it('keeps at most maxViews answers, dropping the least recently asked', async () => {
    const views = createSharedViews({ maxAgeMs: 60_000, maxStaleMs: 60_000, maxViews: 2 });
    let calls = 0;
    const compute = async () => String(++calls);
    await views.get('a', compute);
    await views.get('b', compute);
    await views.get('a', compute); // a is now the most recent
    await views.get('c', compute); // drops b
    expect(views.size).toBe(2);
    expect(await views.get('a', compute)).toBe('1');
    expect(await views.get('b', compute)).toBe('4');
  });

  it('keys a view by its path and parameters in any order', () => {
    expect(viewKey('/api/posts', new URLSearchParams('ticker=GME&limit=5'))).toBe(viewKey('/api/posts', new URLSearchParams('limit=5&ticker=GME')));
    expect(viewKey('/api/posts', new URLSearchParams('ticker=GME'))).not.toBe(viewKey('/api/posts', new URLSearchParams('ticker=AMC')));
  });
});

describe('the dashboard shares each view among the requests of a poll period', () => {
  it('asks the store once for 100 concurrent requests of /api/prices, and again once the period passed', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    await store.writeTrades([{ symbol: 'AAPL', price: 230, volume: 1, timestamp: Date.UTC(2026, 10, 23, 14), seq: 0, conditions: [] }]);
    let reads = 0;
    const counting: Store = { ...store, latestPrices: () => { reads++; return store.latestPrices(); } };
    const server = await createDashboardServer({ store: counting, clock: { now: () => Date.UTC(2026, 10, 23, 14, 1) }, logger: silentLogger(), symbols: ['AAPL'], port: 0, pollMs: 1000 });
    try {
      const get = () => fetch(new URL('/api/prices', server.url)).then(async (r) => ({ status: r.status, body: await r.json() as { prices: { price: number }[] } }));
      const answers = await Promise.all(Array.from({ length: 100 }, get));
      expect(answers.every((a) => a.status === 200 && a.body.prices[0]?.price === 230)).toBe(true);
      expect(reads).toBe(1);
      await store.writeTrades([{ symbol: 'AAPL', price: 231, volume: 1, timestamp: Date.UTC(2026, 10, 23, 14, 0, 30), seq: 0, conditions: [] }]);
      await new Promise((r) => setTimeout(r, 1100));
      await get(); // stale: the last answer, and one refresh
      await new Promise((r) => setTimeout(r, 50));
      expect((await get()).body.prices[0]?.price).toBe(231);
      expect(reads).toBe(2);
      // a bad parameter is still refused per request, and not kept
      expect((await fetch(new URL('/api/prices?x=1', server.url))).status).toBe(400);
    } finally {
      await server.close();
      await store.close();
    }
  });
});
