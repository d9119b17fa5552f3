import { describe, expect, it } from 'vitest';
import { createSqliteStore } from './sqlite.ts';
import type { AlertRow } from './repository.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 23, 23, 59);
const row = (over: Partial<AlertRow> = {}): AlertRow => ({
  ruleId: 'aapl-200', ticker: 'AAPL', firedAt: T0, kind: 'price_cross', message: 'AAPL crossed above 200 at 201',
  value: 201, threshold: 200, delivered: false, ...over,
});

describe('SQLite store: alerts', () => {
  it('writing the same firing twice leaves one row (idempotent upsert)', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    await store.writeAlerts([row(), row({ ticker: 'MSFT' })]);
    await store.writeAlerts([row(), row({ ticker: 'MSFT' })]);
    expect(await store.alerts(T0 - DAY, T0 + DAY, 10)).toHaveLength(2);
  });

  it('delivered only goes from false to true, whatever order the writes replay in', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    await store.writeAlerts([row()]);
    await store.writeAlerts([row({ delivered: true })]);
    await store.writeAlerts([row({ delivered: false })]);
    expect(await store.alerts(T0, T0 + 1, 10)).toEqual([row({ delivered: true })]);
  });

  it('lists newest first across day buckets, within [from, to) and up to the limit', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    // T0 is a minute before midnight: these span two day partitions
    await store.writeAlerts([row({ firedAt: T0 - 60_000 }), row({ firedAt: T0 }), row({ firedAt: T0 + 120_000 }), row({ firedAt: T0 + DAY * 3 })]);
    expect((await store.alerts(T0 - 60_000, T0 + DAY, 10)).map((a) => a.firedAt)).toEqual([T0 + 120_000, T0, T0 - 60_000]);
    expect((await store.alerts(T0 - 60_000, T0 + 120_000, 10)).map((a) => a.firedAt)).toEqual([T0, T0 - 60_000]);
    expect((await store.alerts(0, T0 + 10 * DAY, 2)).map((a) => a.firedAt)).toEqual([T0 + DAY * 3, T0 + 120_000]);
  });
});
