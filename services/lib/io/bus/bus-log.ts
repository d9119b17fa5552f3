import type { BusRecord } from './bus.ts';

/**
 * Where the in-process bus keeps its partitions and committed offsets: in
 * memory (tests), or in a SQLite file in the embedded home (bus-log-sqlite.ts),
 * so that a `stockstreamer run` killed at any instant restarts like a Kafka
 * consumer does — from the committed offsets, with every record the producers
 * had appended still there.
 */
export interface BusLog {
  /** partitions of the topic; 0 when unknown */
  partitions(topic: string): number;
  /** creates the topic, or adds partitions up to `partitions` */
  ensure(topic: string, partitions: number): void;
  /** offset the next appended record of the partition gets */
  end(topic: string, partition: number): number;
  /** records of the partition from `from` on (offset order), `max` at most */
  read(topic: string, partition: number, from: number, max: number): BusRecord[];
  /** appends, assigning offsets; all of them or none */
  append(records: Omit<BusRecord, 'offset'>[]): void;
  committed(group: string, topic: string, partition: number): number | undefined;
  commit(group: string, topic: string, partition: number, offset: number): void;
  close(): void;
}

export function createMemoryBusLog(): BusLog {
  const topics = new Map<string, BusRecord[][]>();
  const offsets = new Map<string, number>();
  const log = (topic: string): BusRecord[][] => {
    let parts = topics.get(topic);
    if (!parts) topics.set(topic, (parts = []));
    return parts;
  };
  return {
    partitions: (topic) => topics.get(topic)?.length ?? 0,
    ensure(topic, partitions) {
      const parts = log(topic);
      while (parts.length < partitions) parts.push([]);
    },
    end: (topic, partition) => topics.get(topic)?.[partition]?.length ?? 0,
    read: (topic, partition, from, max) => topics.get(topic)?.[partition]?.slice(from, from + max) ?? [],
    append(records) {
      for (const r of records) {
        const part = log(r.topic)[r.partition]!;
        part.push({ ...r, offset: part.length });
      }
    },
    committed: (group, topic, partition) => offsets.get(`${group}\0${topic}\0${partition}`),
    commit(group, topic, partition, offset) {
      offsets.set(`${group}\0${topic}\0${partition}`, offset);
    },
    close() {},
  };
}
