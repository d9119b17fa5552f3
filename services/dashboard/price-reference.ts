import { priceReference, type ReferenceKind } from '../lib/domain/insight/session.ts';
import type { InsightReader, LatestPrice } from '../lib/io/store/repository.ts';

/**
 * The price a symbol's change is measured against, as a broker does
 * (domain/insight/session.ts): the previous 16:00 New York close, or the
 * price 24 hours earlier for symbols that trade around the clock. Read as
 * the close of the last 1-minute candle before that instant (one row of one
 * partition, looking back at most LOOKBACK_DAYS over weekends and holidays),
 * and kept for a minute: the live page asks every second.
 */
export interface PriceReferenceView {
  kind: ReferenceKind;
  /** the instant the reference stands for (the close, or 24 h before the last trade), epoch ms */
  at: number;
  /** the close of the last candle before `at` */
  price: number;
  /** that candle's minute */
  minute: number;
  /** the symbol's market time zone */
  timeZone: string;
}

const LOOKBACK_DAYS = 5;
const KEEP_MS = 60_000;

export function createPriceReferences(store: Pick<InsightReader, 'lastCandleBefore'>) {
  const cache = new Map<string, { at: number; value: Promise<PriceReferenceView | null> }>();
  return {
    of(p: LatestPrice): Promise<PriceReferenceView | null> {
      const ref = priceReference(p.symbol, p.timestamp);
      // a rolling reference moves with every minute; a close stays put for the whole session
      const before = ref.kind === 'rolling_24h' ? Math.floor(ref.atMs / 60_000) * 60_000 + 1 : ref.atMs;
      const key = `${p.symbol}|${before}`;
      const wall = Date.now();
      const hit = cache.get(key);
      if (hit && wall - hit.at < KEEP_MS) return hit.value;
      const value = store.lastCandleBefore(p.symbol, before, before - LOOKBACK_DAYS * 86_400_000)
        .then((c) => (c === null ? null : { kind: ref.kind, at: ref.atMs, price: c.close, minute: c.minute, timeZone: ref.timeZone }));
      cache.set(key, { at: wall, value });
      value.catch(() => cache.delete(key));
      if (cache.size > 1000) for (const [k, v] of cache) if (wall - v.at >= KEEP_MS) cache.delete(k);
      return value;
    },
  };
}
