import type { Bus, BusConsumer, BusProducer, ConsumerHandlers, PartitionBatch, TopicPartition } from './bus.ts';

/**
 * A namespace on a shared broker (STOCKSTREAMER_TOPIC_PREFIX): every topic and
 * consumer-group name this process uses on Kafka gets `prefix` in front, while
 * the code above the bus keeps seeing the plain names of topics.ts. Two
 * pipelines with different prefixes share nothing on the broker (no records,
 * no group, no committed offsets), which is what lets the integration tests
 * run a real processor on a stack other people use at the same time.
 * Schema-registry subjects are not prefixed: the schemas are the same.
 * An empty prefix returns the bus itself.
 */
export function prefixedBus<B extends Bus>(bus: B, prefix: string): B {
  if (prefix === '') return bus;
  const outer = (topic: string): string => `${prefix}${topic}`;
  const inner = (topic: string): string => {
    if (!topic.startsWith(prefix)) throw new Error(`topic ${topic} is outside the namespace ${prefix}`);
    return topic.slice(prefix.length);
  };
  const innerTps = (tps: TopicPartition[]): TopicPartition[] => tps.map((tp) => ({ ...tp, topic: inner(tp.topic) }));

  const wrapProducer = <P extends BusProducer>(p: P): P => Object.assign(Object.create(p) as P, {
    send: (topic: string, messages: Parameters<BusProducer['send']>[1]) => p.send(outer(topic), messages),
    close: () => p.close(),
  });

  const wrapConsumer = (c: BusConsumer): BusConsumer => ({
    run(handlers: ConsumerHandlers, signal: AbortSignal) {
      return c.run({
        topics: handlers.topics.map(outer),
        ...(handlers.onAssign ? { onAssign: (tps: TopicPartition[]) => handlers.onAssign!(innerTps(tps)) } : {}),
        ...(handlers.onRevoke ? { onRevoke: (tps: TopicPartition[]) => handlers.onRevoke!(innerTps(tps)) } : {}),
        eachBatch: (batch: PartitionBatch) => handlers.eachBatch({
          ...batch,
          topic: inner(batch.topic),
          records: batch.records.map((r) => ({ ...r, topic: inner(r.topic) })),
        }),
      }, signal);
    },
    commit: (topic, partition, offset) => c.commit(outer(topic), partition, offset),
    committed: (topic, partition) => c.committed(outer(topic), partition),
  });

  return Object.assign(Object.create(bus) as B, {
    ensureTopics: (specs: Parameters<Bus['ensureTopics']>[0]) => bus.ensureTopics(specs.map((s) => ({ ...s, name: outer(s.name) }))),
    producer: () => wrapProducer(bus.producer()),
    consumer: (groupId: string) => wrapConsumer(bus.consumer(outer(groupId))),
    close: () => bus.close(),
  });
}
