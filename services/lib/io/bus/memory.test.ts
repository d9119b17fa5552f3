import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryBus } from './memory.ts';
import { createSqliteBusLog } from './bus-log-sqlite.ts';
import type { PartitionBatch } from './bus.ts';

const msg = (key: string, v: string) => ({ key, value: Buffer.from(v) });

describe('in-process bus', () => {
  it('keeps one key in one partition, in order', async () => {
    const bus = createMemoryBus();
    await bus.ensureTopics([{ name: 't', partitions: 4 }]);
    const p = bus.producer();
    for (let i = 0; i < 20; i++) await p.send('t', [msg(`k${i % 3}`, String(i))]);
    const byKey = new Map<string, Set<number>>();
    for (const r of bus.records('t')) {
      if (!byKey.has(r.key!)) byKey.set(r.key!, new Set());
      byKey.get(r.key!)!.add(r.partition);
    }
    for (const parts of byKey.values()) expect(parts.size).toBe(1);
    const k0 = bus.records('t').filter((r) => r.key === 'k0').map((r) => r.value.toString());
    expect(k0).toEqual(['0', '3', '6', '9', '12', '15', '18']);
  });

  it('a consumer group resumes from its committed offset after a restart', async () => {
    const bus = createMemoryBus({ maxBatch: 2 });
    await bus.ensureTopics([{ name: 't', partitions: 1 }]);
    await bus.producer().send('t', ['a', 'b', 'c', 'd', 'e'].map((v) => msg('k', v)));
    const seen: string[] = [];
    const first = new AbortController();
    const c1 = bus.consumer('g');
    await c1.run({
      topics: ['t'],
      eachBatch: async (b: PartitionBatch) => {
        seen.push(...b.records.map((r) => r.value.toString()));
        // commit only the first record of each batch: the rest must be re-delivered
        await c1.commit('t', 0, b.records[0]!.offset + 1);
        if (seen.length >= 4) first.abort();
      },
    }, first.signal);
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
    expect(await c1.committed('t', 0)).toBe(3);

    const again: string[] = [];
    const second = new AbortController();
    await bus.consumer('g').run({
      topics: ['t'],
      eachBatch: async (b) => {
        again.push(...b.records.map((r) => r.value.toString()));
        if (again.includes('e')) second.abort();
      },
    }, second.signal);
    expect(again).toEqual(['d', 'e']);
  });

  it('wakes a waiting consumer when records arrive, and stops on abort', async () => {
    const bus = createMemoryBus();
    await bus.ensureTopics([{ name: 't', partitions: 1 }]);
    const ac = new AbortController();
    const got: string[] = [];
    const running = bus.consumer('g').run({ topics: ['t'], eachBatch: async (b) => { got.push(...b.records.map((r) => r.value.toString())); ac.abort(); } }, ac.signal);
    await new Promise((r) => setTimeout(r, 20));
    await bus.producer().send('t', [msg('k', 'late')]);
    await running;
    expect(got).toEqual(['late']);
  });
});

describe('in-process bus on a durable log', () => {
  it('a new bus on the same file resumes from the committed offsets with every appended record, and trims what was consumed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-buslog-'));
    const path = join(dir, 'bus.sqlite');
    const first = createMemoryBus({ maxBatch: 3, log: createSqliteBusLog({ path }) });
    await first.ensureTopics([{ name: 't', partitions: 2 }]);
    await first.producer().send('t', ['a', 'b', 'c', 'd', 'e', 'f'].map((v, i) => msg(`k${i % 2}`, v)));
    const c1 = first.consumer('g');
    const ac = new AbortController();
    const seen: string[] = [];
    await c1.run({ topics: ['t'], eachBatch: async (b) => {
      seen.push(...b.records.map((r) => r.value.toString()));
      await c1.commit(b.topic, b.partition, b.records[0]!.offset + 1); // only the first record of each batch
      ac.abort(); // "kill" after the first batch
    } }, ac.signal);
    await first.close();
    expect(seen).toHaveLength(3);

    const second = createMemoryBus({ maxBatch: 10, log: createSqliteBusLog({ path }) });
    await second.producer().send('t', [msg('k0', 'g')]);
    const again: string[] = [];
    const ac2 = new AbortController();
    const running = second.consumer('g').run({ topics: ['t'], eachBatch: async (b) => { again.push(...b.records.map((r) => r.value.toString())); } }, ac2.signal);
    await second.whenIdle('g');
    ac2.abort();
    await running;
    // everything but the one committed record, including the one appended after the restart
    expect(again.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g'].filter((v) => v !== seen[0]).sort());
    // the committed record is gone from the file
    expect(second.records('t').map((r) => r.value.toString())).not.toContain(seen[0]);
    await second.close();
  });
});
