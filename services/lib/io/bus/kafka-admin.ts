import kafkajs from 'kafkajs';
import type { Admin, Kafka } from 'kafkajs';
import { StockstreamerError } from '../../runtime/errors.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { TopicSpec } from './bus.ts';
import { toBusError } from './kafka-client.ts';

const { ConfigResourceTypes } = kafkajs;

/**
 * Topic set-up and committed offsets, through one lazily connected kafkajs admin.
 *
 * ensureTopics is idempotent and declarative: a missing topic is created with
 * exactly the spec's partitions and the settings below; an existing one keeps
 * its data and gets its retention/cleanup settings brought in line. Partitions
 * are the exception: adding partitions to a keyed topic moves keys to other
 * partitions (murmur2(key) % n changes), which breaks "one key, one partition,
 * one writer" for every key already written. So a topic with fewer partitions
 * than asked stops start-up with CONFIG_INVALID unless the operator opted in
 * with onFewerPartitions: 'increase' (after draining the topic). A topic with
 * more partitions than asked is fine: consumers follow the real count.
 */
export interface TopicSettings {
  /** replicas of each created topic: 1 on the local stack, 3 on a cluster */
  replicationFactor: number;
  /** min.insync.replicas of each created topic; broker default when undefined */
  minInsyncReplicas: number | undefined;
  onFewerPartitions: 'fail' | 'increase';
  /** milliseconds to wait for the leaders of created topics */
  createTimeoutMs: number;
}

export interface TopicAdmin {
  ensureTopics(specs: TopicSpec[]): Promise<void>;
  /** the group's committed next offset, undefined when it never committed */
  fetchCommitted(groupId: string, topic: string, partition: number): Promise<number | undefined>;
  /** commits for a group with no running member (outside a consumer's run) */
  setCommitted(groupId: string, topic: string, partition: number, offset: number): Promise<void>;
  /** partitions of a topic; BUS_UNAVAILABLE when Kafka does not answer or does not know it (yet) */
  partitionCount(topic: string): Promise<number>;
  /** partitions of these topics that cannot take an acks=all write now (see inSyncProblems); [] when every one can */
  underReplicated(topics: string[], minInsync: number): Promise<string[]>;
  close(): Promise<void>;
}

export interface PartitionState {
  partitionId: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

/**
 * Why a partition cannot acknowledge an acks=all write, one line each: it has no
 * leader, or fewer replicas in sync than min.insync.replicas (Kafka refuses the
 * write with NOT_ENOUGH_REPLICAS). A partition that merely lost one of three
 * replicas while two stay in sync is fine: that is what replication 3 is for.
 */
export function inSyncProblems(topics: { name: string; partitions: PartitionState[] }[], minInsync: number): string[] {
  const out: string[] = [];
  for (const t of topics) {
    for (const p of t.partitions) {
      if (p.leader < 0) out.push(`${t.name}/${p.partitionId}: no leader (replicas ${p.replicas.join(',')})`);
      else if (p.isr.length < minInsync) out.push(`${t.name}/${p.partitionId}: ${p.isr.length} in sync (${p.isr.join(',')}), ${minInsync} needed`);
    }
  }
  return out;
}

export function createTopicAdmin(kafka: Kafka, settings: TopicSettings, logger: Logger): TopicAdmin {
  let admin: Admin | undefined;
  let connecting: Promise<Admin> | undefined;

  const connected = (): Promise<Admin> => {
    if (admin) return Promise.resolve(admin);
    connecting ??= (async () => {
      const a = kafka.admin({ retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 } });
      try {
        await a.connect();
      } catch (err) {
        await a.disconnect().catch(() => {});
        throw err;
      }
      admin = a;
      return a;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  /** runs fn on the admin; a broker that went away is BUS_UNAVAILABLE and the next call reconnects */
  async function withAdmin<T>(what: string, fn: (a: Admin) => Promise<T>, details: Record<string, unknown> = {}): Promise<T> {
    try {
      return await fn(await connected());
    } catch (err) {
      const mapped = toBusError(err, what, details);
      if (mapped !== err) {
        const a = admin;
        admin = undefined;
        await a?.disconnect().catch(() => {});
      }
      throw mapped;
    }
  }

  const wantedConfig = (spec: TopicSpec): Record<string, string> => ({
    'cleanup.policy': 'delete',
    'retention.ms': String(spec.retentionMs ?? 7 * 24 * 3600_000),
    ...(settings.minInsyncReplicas === undefined ? {} : { 'min.insync.replicas': String(settings.minInsyncReplicas) }),
  });

  async function reconcileConfig(a: Admin, spec: TopicSpec): Promise<void> {
    const wanted = wantedConfig(spec);
    const described = await a.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: spec.name }],
    });
    const entries = (described.resources[0]?.configEntries ?? []) as { configName: string; configValue: string | null; isDefault: boolean; configSource?: number }[];
    const current = new Map(entries.map((e) => [e.configName, e.configValue]));
    const stale = Object.entries(wanted).filter(([name, value]) => current.get(name) !== value);
    if (stale.length === 0) return;
    // AlterConfigs replaces every dynamic setting of the topic: carry over the
    // ones someone else set (configSource 1 = DYNAMIC_TOPIC_CONFIG).
    const kept = entries.filter((e) => e.configSource === 1 && !(e.configName in wanted) && e.configValue !== null);
    await a.alterConfigs({
      validateOnly: false,
      resources: [{
        type: ConfigResourceTypes.TOPIC,
        name: spec.name,
        configEntries: [...kept.map((e) => ({ name: e.configName, value: e.configValue! })), ...Object.entries(wanted).map(([name, value]) => ({ name, value }))],
      }],
    });
    logger.info({ topic: spec.name, changed: Object.fromEntries(stale.map(([n, v]) => [n, { from: current.get(n) ?? null, to: v }])) }, `topic ${spec.name}: settings updated`);
  }

  return {
    async ensureTopics(specs) {
      const names = new Set<string>();
      for (const spec of specs) {
        if (typeof spec.name !== 'string' || spec.name === '') throw new TypeError('topic name must be a non-empty string');
        if (!Number.isInteger(spec.partitions) || spec.partitions < 1) throw new RangeError(`topic ${spec.name}: partitions must be a positive integer, got ${spec.partitions}`);
        if (names.has(spec.name)) throw new TypeError(`topic ${spec.name} is listed twice`);
        names.add(spec.name);
      }
      await withAdmin('ensure topics', async (a) => {
        // even with nothing to ensure, one metadata round trip: "Kafka answers" (readiness)
        const existing = new Set(await a.listTopics());
        if (specs.length === 0) return;
        const missing = specs.filter((s) => !existing.has(s.name));
        let raced = false;
        if (missing.length > 0) {
          // false: another process created some of them between listTopics and now
          const created = await a.createTopics({
            waitForLeaders: true,
            timeout: settings.createTimeoutMs,
            topics: missing.map((s) => ({
              topic: s.name,
              numPartitions: s.partitions,
              replicationFactor: settings.replicationFactor,
              configEntries: Object.entries(wantedConfig(s)).map(([name, value]) => ({ name, value })),
            })),
          });
          raced = !created;
          logger.info({ topics: missing.map((s) => `${s.name}(${s.partitions})`) }, created ? 'topics created' : 'topics were being created concurrently');
        }
        // what we created has the spec's settings; everything else is checked
        const toCheck = raced ? specs : specs.filter((s) => existing.has(s.name));
        if (toCheck.length === 0) return;
        const { topics } = await a.fetchTopicMetadata({ topics: toCheck.map((s) => s.name) });
        for (const spec of toCheck) {
          const have = topics.find((t) => t.name === spec.name)?.partitions.length ?? 0;
          if (have < spec.partitions) {
            if (settings.onFewerPartitions === 'increase') {
              await a.createPartitions({ topicPartitions: [{ topic: spec.name, count: spec.partitions }] });
              logger.warn({ topic: spec.name, from: have, to: spec.partitions }, `topic ${spec.name}: partitions increased; keys written before now live in other partitions than new ones`);
            } else {
              throw new StockstreamerError(
                'CONFIG_INVALID',
                `topic ${spec.name} has ${have} partitions, the configuration asks for ${spec.partitions} (STOCKSTREAMER_KAFKA_PARTITIONS): adding partitions moves keys, so it is not done silently`,
                { details: { key: 'STOCKSTREAMER_KAFKA_PARTITIONS', topic: spec.name, have, want: spec.partitions } },
              );
            }
          } else if (have > spec.partitions) {
            logger.info({ topic: spec.name, have, want: spec.partitions }, `topic ${spec.name} has more partitions than configured; keeping them`);
          }
          await reconcileConfig(a, spec);
        }
      });
    },

    async fetchCommitted(groupId, topic, partition) {
      return withAdmin('fetch committed offsets', async (a) => {
        const result = await a.fetchOffsets({ groupId, topics: [topic] });
        const entry = result.find((t) => t.topic === topic)?.partitions.find((p) => p.partition === partition);
        if (!entry || entry.offset === '-1' || entry.offset === '') return undefined;
        return Number(entry.offset);
      }, { groupId, topic, partition });
    },

    async setCommitted(groupId, topic, partition, offset) {
      await withAdmin('commit offsets', (a) => a.setOffsets({ groupId, topic, partitions: [{ partition, offset: String(offset) }] }), { groupId, topic, partition });
    },

    async partitionCount(topic) {
      const { topics } = await withAdmin('read partitions', (a) => a.fetchTopicMetadata({ topics: [topic] }), { topic });
      const n = topics.find((t) => t.name === topic)?.partitions.length ?? 0;
      if (n === 0) throw new StockstreamerError('BUS_UNAVAILABLE', `produce: topic ${topic} has no partitions (yet)`, { details: { topic } });
      return n;
    },

    async underReplicated(topics, minInsync) {
      return withAdmin('check in-sync replicas', async (a) => inSyncProblems((await a.fetchTopicMetadata({ topics })).topics, minInsync), { topics });
    },

    async close() {
      const a = admin;
      admin = undefined;
      await a?.disconnect().catch(() => {});
    },
  };
}
