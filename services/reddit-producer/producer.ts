import type { RedditPost } from '../lib/domain/types.ts';
import type { Serde } from '../lib/io/avro/serde.ts';
import type { Bus } from '../lib/io/bus/bus.ts';
import { publishFrom } from '../lib/io/bus/publish.ts';
import { TOPICS } from '../lib/io/bus/topics.ts';
import type { Source } from '../lib/io/sources/source.ts';
import type { Metrics } from '../lib/runtime/metrics.ts';
import type { Logger } from '../lib/runtime/logger.ts';

/** Reddit submissions and comments → Avro → their topics, keyed by post id. */
export function createRedditProducer(deps: { source: Source<RedditPost>; bus: Bus; serde: Serde; metrics: Metrics; logger: Logger }) {
  return {
    run: (signal: AbortSignal) =>
      publishFrom(deps.source, deps.bus, (p) => {
        const topic = p.kind === 'submission' ? TOPICS.submissions : TOPICS.comments;
        // the bus time is the send time, not the post's (see price-producer)
        return { topic, message: { key: p.id, value: deps.serde.encode(topic, p) } };
      }, deps.metrics, signal, deps.logger),
  };
}
