import type { Source } from '../sources/source.ts';
import type { Bus, OutgoingMessage } from './bus.ts';
import type { Metrics } from '../../runtime/metrics.ts';
import type { Logger } from '../../runtime/logger.ts';
import { withRetry } from '../../runtime/retry.ts';

/**
 * Drives a source into the bus. The source awaits each send before it emits
 * again, so a slow broker slows the source instead of growing a queue.
 */
export async function publishFrom<T>(
  source: Source<T>,
  bus: Bus,
  route: (item: T) => { topic: string; message: OutgoingMessage },
  metrics: Metrics,
  signal: AbortSignal,
  logger: Logger,
): Promise<void> {
  const producer = bus.producer();
  try {
    await source.run(async (items) => {
      const byTopic = new Map<string, OutgoingMessage[]>();
      for (const item of items) {
        const { topic, message } = route(item);
        let list = byTopic.get(topic);
        if (!list) byTopic.set(topic, (list = []));
        list.push(message);
      }
      await Promise.all([...byTopic].map(async ([topic, messages]) => {
        // A broker outage longer than the producer's own delivery timeout surfaces
        // as BUS_UNAVAILABLE; retrying here keeps the source waiting instead of
        // dropping what it already emitted.
        await withRetry(`produce to ${topic}`, () => producer.send(topic, messages), { logger, metrics, signal });
        metrics.produced.inc({ topic }, messages.length);
      }));
    }, signal);
  } finally {
    await producer.close();
  }
}
