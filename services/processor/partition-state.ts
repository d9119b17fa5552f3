import type { TopicPartition } from '../lib/io/bus/bus.ts';

/**
 * Per-partition in-memory state, created on the first batch after an
 * assignment (from the store, through the batch's retrying context) and
 * dropped on assignment and revocation: a partition's state never outlives
 * its ownership, and the next owner rebuilds it from the raw rows.
 */
export function createPartitionStates<S>() {
  const states = new Map<string, S>();
  const key = (tp: TopicPartition) => `${tp.topic}\0${tp.partition}`;
  return {
    forget(tp: TopicPartition): void {
      states.delete(key(tp));
    },
    async get(tp: TopicPartition, create: () => Promise<S>): Promise<S> {
      let s = states.get(key(tp));
      if (s === undefined) {
        s = await create();
        states.set(key(tp), s);
      }
      return s;
    },
  };
}
