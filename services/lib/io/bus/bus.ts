/**
 * The bus port: what the producers and the processor need from Kafka. Two
 * implementations: kafka.ts (kafkajs, the real thing) and memory.ts (one
 * process, embedded mode and fast unit tests). Neither leaks into the domain.
 */

export interface OutgoingMessage {
  /** partitioning key: symbol for trades, fullname for posts, ticker for mentions */
  key: string | null;
  value: Buffer;
  headers?: Record<string, string>;
  /** epoch milliseconds; defaults to now */
  timestamp?: number;
}

export interface BusRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
  /** epoch milliseconds the record was appended */
  timestamp: number;
}

export interface PartitionBatch {
  topic: string;
  partition: number;
  records: BusRecord[];
  /** offset the next appended record will get: lag = highWatermark - next offset */
  highWatermark: number;
  /** keeps the group membership alive during a long write (Kafka); a no-op in memory */
  heartbeat(): Promise<void>;
  /**
   * Whether this consumer still owns the partition in the generation the
   * batch was handed out in (Kafka: a heartbeat the coordinator accepts).
   * A false answer is final for the batch: its commit will be refused, and
   * anything it writes from now on may land after the new owner's writes.
   */
  stillOwned(): Promise<boolean>;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  /** milliseconds; -1 keeps forever */
  retentionMs?: number;
}

export interface BusProducer {
  /** resolves once every message is acknowledged (acks=all on Kafka) */
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface ConsumerHandlers {
  topics: string[];
  /** partitions newly owned by this consumer: load per-partition state here */
  onAssign?(partitions: TopicPartition[]): Promise<void>;
  /** partitions taken away: drop their in-memory state, never write it */
  onRevoke?(partitions: TopicPartition[]): Promise<void>;
  /** records of one partition, in offset order; resolve only when their rows are durable */
  eachBatch(batch: PartitionBatch): Promise<void>;
}

export interface BusConsumer {
  /** consumes until `signal` aborts; resolves after leaving the group */
  run(handlers: ConsumerHandlers, signal: AbortSignal): Promise<void>;
  /** commits `offset` as the next offset to read for the partition */
  commit(topic: string, partition: number, offset: number): Promise<void>;
  /** the committed next offset, or undefined when the group never committed */
  committed(topic: string, partition: number): Promise<number | undefined>;
}

export interface Bus {
  ensureTopics(specs: TopicSpec[]): Promise<void>;
  producer(): BusProducer;
  consumer(groupId: string): BusConsumer;
  close(): Promise<void>;
}

/**
 * Kafka's default partitioner is murmur2 of the key; any stable hash keeps the
 * invariant that one key lives in one partition. The memory bus uses this one.
 */
export function partitionFor(key: string | null, partitions: number, roundRobin: number): number {
  if (key === null) return roundRobin % partitions;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}
