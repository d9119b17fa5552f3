/**
 * Send → readable latency (bench/pipeline.ts, bench/nodes.ts): trades stamped with
 * their send time (the event timestamp) go to the world's stock-trades topic at a
 * steady rate; a reader polls trades_by_symbol (at the world's CQL client's
 * consistency) for the ones not seen yet and notes when each became readable.
 */
import type { Trade } from '../../services/lib/domain/types.ts';
import { TOPICS } from '../../services/lib/io/bus/topics.ts';
import { cqlDay } from '../../services/lib/io/store/cassandra-rows.ts';
import { dayOf } from '../../services/lib/io/store/repository.ts';
import { tradeMessages } from './data.ts';
import { median } from './results.ts';
import { sleep, type World } from './stack.ts';

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN'];
const QUERY = 'SELECT ts, seq FROM trades_by_symbol WHERE symbol = ? AND day = ? AND ts >= ?';

export interface ReadableProbe {
  /**
   * Sends `rate` trades a second for `seconds`; their latencies count under `phase`
   * (undefined: a warm-up, not counted). `onTick` runs about every 5 ms while sending.
   */
  send(rate: number, seconds: number, phase?: string, onTick?: () => void): Promise<void>;
  /** waits (≤ 30 s) for every trade sent to be readable, stops the reader */
  finish(): Promise<{ latencies: Map<string, number[]>; missing: number; pollRoundMs: number }>;
}

export function readableProbe(world: World): ReadableProbe {
  const producer = world.bus.producer();
  /** symbol → seq → send time */
  const pending = new Map<string, Map<number, number>>(SYMBOLS.map((s) => [s, new Map()]));
  const phaseOf = new Map<number, string>();
  const latencies = new Map<string, number[]>();
  const rounds: number[] = [];
  let seq = 0;
  let reading = true;

  const reader = (async () => {
    while (reading) {
      const t = performance.now();
      await Promise.all(SYMBOLS.map(async (symbol) => {
        const waiting = pending.get(symbol)!;
        if (waiting.size === 0) return;
        let oldest = Infinity;
        for (const sent of waiting.values()) oldest = Math.min(oldest, sent);
        const rs = await world.cql.execute(QUERY, [symbol, cqlDay(dayOf(oldest)), oldest], { prepare: true, fetchSize: 5000 });
        const now = Date.now();
        for (const row of rs.rows) {
          const s = row.seq as number;
          const sent = waiting.get(s);
          if (sent === undefined) continue;
          waiting.delete(s);
          const phase = phaseOf.get(s);
          if (phase !== undefined) latencies.get(phase)!.push(now - sent);
        }
      }));
      rounds.push(performance.now() - t);
      await sleep(2);
    }
  })();

  return {
    async send(rate, seconds, phase, onTick) {
      if (phase !== undefined && !latencies.has(phase)) latencies.set(phase, []);
      const start = performance.now();
      const total = rate * seconds;
      let sent = 0;
      const inflight: Promise<void>[] = [];
      while (sent < total) {
        const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
        if (due > sent) {
          const now = Date.now();
          const batch: Trade[] = [];
          for (; sent < due; sent++) {
            const symbol = SYMBOLS[seq % SYMBOLS.length]!;
            const t: Trade = { symbol, price: 100 + (seq % 50), volume: 1, timestamp: now, conditions: [], seq: ++seq };
            batch.push(t);
            pending.get(symbol)!.set(t.seq, now);
            if (phase !== undefined) phaseOf.set(t.seq, phase);
          }
          inflight.push(producer.send(TOPICS.trades, tradeMessages(world.serde, batch)));
        }
        onTick?.();
        await sleep(5);
      }
      await Promise.all(inflight);
    },
    async finish() {
      const deadline = Date.now() + 30_000;
      while ([...pending.values()].some((m) => m.size > 0) && Date.now() < deadline) await sleep(50);
      reading = false;
      await reader;
      await producer.close();
      return {
        latencies,
        missing: [...pending.values()].reduce((s, m) => s + m.size, 0),
        pollRoundMs: Math.round(median(rounds) * 10) / 10,
      };
    },
  };
}
