import type { TopicPartition } from '../lib/io/bus/bus.ts';

/** Per-partition in-memory state, created on assignment and dropped on revocation. */
export function createPartitionStates<S>(create: (tp: TopicPartition) => Promise<S>) {
  const states = new Map<string, S>();
  const key = (topic: string, partition: number) => `${topic}\0${partition}`;
  return {
    async assign(tp: TopicPartition): Promise<void> {
      states.set(key(tp.topic, tp.partition), await create(tp));
    },
    revoke(tp: TopicPartition): void {
      states.delete(key(tp.topic, tp.partition));
    },
    async get(tp: TopicPartition): Promise<S> {
      let s = states.get(key(tp.topic, tp.partition));
      if (!s) {
        // A batch can arrive for a partition whose assignment event we did not see (e.g. a rejoin).
        s = await create(tp);
        states.set(key(tp.topic, tp.partition), s);
      }
      return s;
    },
  };
}
