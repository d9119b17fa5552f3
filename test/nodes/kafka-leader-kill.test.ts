/**
 * Three brokers, topics at replication 3 with min.insync.replicas=2, producers
 * acks=all (issue 14): while the project's producer sends and the processor
 * consumes, the broker leading most of the pipeline's partitions is killed with
 * SIGKILL, left dead for a while, and started again. Every send is acknowledged
 * in the end, every table equals the recomputation from what was sent (nothing
 * lost, nothing counted twice; a produce retried across the failover may sit in a
 * topic twice), the aggregates equal the oracle's recomputation from the raw rows
 * read at ALL, and the returned broker is back in every in-sync set.
 */
import { describe, expect, it } from 'vitest';
import { TOPICS, topicSpecs } from '../../services/lib/io/bus/topics.ts';
import { recentT0, sendPaced, waitFor } from '../integration/helpers/pipeline-stack.ts';
import { HOUR, MIN, converge, encode, generate, recompute, sizes } from '../integration/helpers/pipeline-data.ts';
import { consistencies, kill9, leadersByBroker, type NodeName, nodeScript, ringClient, sleep, underReplicated, useNodesWorld } from './helpers/nodes.ts';

const PROCESSOR = { STOCKSTREAMER_CANDLE_LATENESS_MS: '5000', STOCKSTREAMER_SENTIMENT_LATENESS_MS: String(3 * HOUR) };

describe('three brokers: kill -9 of the busiest leader', () => {
  const nodesWorld = useNodesWorld('nodeskafka');

  it('the leader of most partitions killed and brought back: nothing lost, nothing doubled, every table equals the recomputation', async () => {
    const world = nodesWorld();
    const input = generate({ seed: 14, trades: 12_000, submissions: 1_000, comments: 1_500, t0: recentT0(), spanMs: 30 * MIN });
    const expected = await recompute(input);
    const topics = topicSpecs().map((t) => `${world.prefix}${t.name}`);
    const { topics: meta } = await world.admin.fetchTopicMetadata({ topics });
    expect(meta.every((t) => t.partitions.every((p) => p.replicas.length === 3)), 'every partition has three replicas').toBe(true);

    const processor = await world.startProcessor(PROCESSOR);
    let sentSoFar = 0;
    const producing = sendPaced(world.bus, encode(world.serde, input), { perTick: 90, tickMs: 250, onTick: (n) => { sentSoFar = n; } });
    await waitFor('a quarter of the input sent', async () => (sentSoFar > 3000 ? true : undefined), { timeoutMs: 60_000 });

    const before = await leadersByBroker(world.admin, topics);
    const [victimId, led] = [...before].sort((a, b) => b[1] - a[1])[0]!;
    const victim = `kafka${victimId}` as NodeName;
    const sentAtKill = sentSoFar;
    await kill9(victim);
    const killedAt = Date.now();
    // leaders move to the other two once the controller fences the dead broker
    const moved = await waitFor('the partitions to get new leaders', async () => {
      const now = await leadersByBroker(world.admin, topics);
      return now.has(victimId) ? undefined : now;
    }, { timeoutMs: 60_000, intervalMs: 250 });
    const failoverMs = Date.now() - killedAt;
    await sleep(15_000);
    const readyWhileDown = await processor.ready();
    const sentWhileDown = sentSoFar - sentAtKill;
    const t = Date.now();
    await nodeScript('start-one.sh', [victim]);
    const restartMs = Date.now() - t;

    const produced = await producing;
    expect(produced.failures).toEqual([]);
    expect(produced.sent).toBe(input.trades.length + input.posts.length);
    const inTopics = (await Promise.all([TOPICS.trades, TOPICS.submissions, TOPICS.comments].map((tp) => world.endOffsets(tp)))).flat().reduce((a, b) => a + b, 0);
    expect(inTopics).toBeGreaterThanOrEqual(produced.sent);

    // the returned broker catches up and rejoins every in-sync set
    const t2 = Date.now();
    await waitFor('every partition back to three in-sync replicas', async () => ((await underReplicated(world.admin, topics)) === 0 ? true : undefined), { timeoutMs: 120_000, intervalMs: 500 });
    const rejoinMs = Date.now() - t2;

    const all = ringClient(world.keyspace, consistencies.all);
    try {
      const result = await converge(all, expected, { timeoutMs: 180_000 });
      console.log(`kafka leader kill: kafka${victimId} led ${led} of ${[...before.values()].reduce((a, b) => a + b, 0)} partitions (${[...before].map(([b, n]) => `${b}:${n}`).join(' ')}); ` +
        `new leaders ${failoverMs} ms after the kill (${[...moved].map(([b, n]) => `${b}:${n}`).join(' ')}); ${sentWhileDown} records sent while it was down, processor ready then: ${readyWhileDown}; ` +
        `start-one ${restartMs} ms, back in every in-sync set ${rejoinMs} ms later; longest tick ${produced.maxSendMs} ms; ` +
        `${inTopics - produced.sent} duplicate records in the topics; converged (read at ALL) ${result.ms} ms after the producer finished: ${sizes(result.actual)}`);
      expect(result.diff).toEqual([]);
    } finally {
      await all.shutdown();
    }
    expect(sentWhileDown, 'the producer kept sending while the broker was dead').toBeGreaterThan(0);
    expect(readyWhileDown, 'two brokers of three with every partition at two in sync: ready').toBe(true);
    expect(processor.running, processor.tail()).toBe(true);
    await processor.stop();
  }, 600_000);
});
