import type { Trade } from '../lib/domain/types.ts';
import type { Serde } from '../lib/io/avro/serde.ts';
import type { Bus } from '../lib/io/bus/bus.ts';
import { publishFrom } from '../lib/io/bus/publish.ts';
import { TOPICS } from '../lib/io/bus/topics.ts';
import type { Source } from '../lib/io/sources/source.ts';
import type { Metrics } from '../lib/runtime/metrics.ts';
import type { Logger } from '../lib/runtime/logger.ts';

/** Finnhub (or synthetic / replayed) trades → Avro → stock-trades, keyed by symbol. */
export function createPriceProducer(deps: { source: Source<Trade>; bus: Bus; serde: Serde; metrics: Metrics; logger: Logger }) {
  return {
    run: (signal: AbortSignal) =>
      publishFrom(deps.source, deps.bus, (t) => ({
        topic: TOPICS.trades,
        message: { key: t.symbol, value: deps.serde.encode(TOPICS.trades, t), timestamp: t.timestamp },
      }), deps.metrics, signal, deps.logger),
  };
}
