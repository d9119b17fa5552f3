import type { Trade } from '../lib/domain/types.ts';
import type { Serde } from '../lib/io/avro/serde.ts';
import type { Bus } from '../lib/io/bus/bus.ts';
import { publishFrom } from '../lib/io/bus/publish.ts';
import { TOPICS } from '../lib/io/bus/topics.ts';
import type { Source } from '../lib/io/sources/source.ts';
import type { Metrics } from '../lib/runtime/metrics.ts';
import type { Logger } from '../lib/runtime/logger.ts';

/**
 * Finnhub (or synthetic / replayed) trades → Avro → stock-trades, keyed by symbol.
 * The record's bus time is when it was sent, never the trade's time: Kafka's
 * retention and the processor's clock-skew check both rely on that.
 */
export function createPriceProducer(deps: { source: Source<Trade>; bus: Bus; serde: Serde; metrics: Metrics; logger: Logger }) {
  return {
    run: (signal: AbortSignal) =>
      publishFrom(deps.source, deps.bus, (t) => ({
        topic: TOPICS.trades,
        // No timestamp: the bus stamps the send time, which the processor holds the
        // event time against (a trade from a clock ten years ahead is dead-lettered).
        message: { key: t.symbol, value: deps.serde.encode(TOPICS.trades, t) },
      }), deps.metrics, signal, deps.logger),
  };
}
