/**
 * Three Cassandra nodes, keyspace at replication 3, every read and write at
 * LOCAL_QUORUM (issue 14): one node stopped for 60 s in the middle of a run while
 * the project's producer sends and the processor writes. Writes go on at quorum
 * (offsets keep being committed, /readyz stays ready); the two others keep hints
 * for the stopped node and replay them when it is back (hinted handoff, not
 * repair: nothing here runs a repair, and the test keyspace's tables are set to
 * read_repair = 'NONE' so no read can patch the returned node either). Then:
 *   - the returned node alone, read at ONE through itself (its own replica first,
 *     speculative reads off), holds exactly the recomputation: the hints delivered
 *     every write it missed;
 *   - a read at ALL equals the recomputation, and the oracle agrees at ALL.
 */
import { describe, expect, it } from 'vitest';
import { TOPICS, topicSpecs } from '../../services/lib/io/bus/topics.ts';
import { checkSnapshot } from '../oracle/aggregates.ts';
import { readCassandraSnapshot } from '../oracle/cassandra.ts';
import { recentT0, sendPaced, waitFor } from '../integration/helpers/pipeline-stack.ts';
import { HOUR, MIN, converge, diffTables, encode, generate, readTables, recompute, sizes } from '../integration/helpers/pipeline-data.ts';
import { consistencies, hintFiles, HOSTS, nodeClient, nodeScript, ringClient, sleep, useNodesWorld } from './helpers/nodes.ts';

const PROCESSOR = { STOCKSTREAMER_CANDLE_LATENESS_MS: '5000', STOCKSTREAMER_SENTIMENT_LATENESS_MS: String(3 * HOUR) };
const OUTAGE_MS = 60_000;

describe('three Cassandra nodes: one stopped for 60 s', () => {
  // Only hinted handoff may bring the returned node up to date (no read repair), and a
  // read at ONE coordinated by a replica is answered by that replica alone (no
  // speculative read to another one).
  const nodesWorld = useNodesWorld('nodescass', async (world) => {
    const tables = await world.cql.execute('SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?', [world.keyspace], { prepare: true });
    for (const r of tables.rows) await world.cql.execute(`ALTER TABLE ${world.keyspace}.${String(r.table_name)} WITH read_repair = 'NONE' AND speculative_retry = 'NONE'`);
  });

  it('writes go on at quorum; the returned node gets what it missed by hinted handoff; ALL reads equal the recomputation', async () => {
    const world = nodesWorld();
    const input = generate({ seed: 15, trades: 20_000, submissions: 1_500, comments: 2_500, t0: recentT0(), spanMs: 40 * MIN });
    const expected = await recompute(input);
    const processor = await world.startProcessor(PROCESSOR);
    const total = input.trades.length + input.posts.length;

    // ~24,000 records at ~240/s: about 100 s of sending, the outage in the middle
    let sentSoFar = 0;
    const producing = sendPaced(world.bus, encode(world.serde, input), { perTick: 60, tickMs: 250, onTick: (n) => { sentSoFar = n; } });
    await waitFor('a sixth of the input sent', async () => (sentSoFar > total / 6 ? true : undefined), { timeoutMs: 90_000 });

    const committed = async () => (await world.committed(TOPICS.trades)).reduce((a, b) => a + b, 0);
    const readiness: boolean[] = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        readiness.push(await processor.ready());
        await sleep(500);
      }
    })();
    const stopped = HOSTS[1]!;
    // cassandra2 is the only node ever down here: every hint file on 1 and 3 is for it
    const hintsFor = async () => hintFiles('cassandra1') + hintFiles('cassandra3');
    try {
      expect(await hintsFor(), 'no hints before the outage').toBe(0);
      let t = Date.now();
      await nodeScript('stop-one.sh', ['cassandra2']);
      const stopMs = Date.now() - t;
      const downAt = Date.now();
      const committedAtStop = await committed();
      let maxHintFiles = 0;
      while (Date.now() - downAt < OUTAGE_MS) {
        maxHintFiles = Math.max(maxHintFiles, await hintsFor());
        expect(processor.running, `the processor exited while a node was down:\n${processor.tail()}`).toBe(true);
        await sleep(2000);
      }
      const committedDuringOutage = (await committed()) - committedAtStop;
      const readyDuringOutage = readiness.filter(Boolean).length / readiness.length;
      t = Date.now();
      await nodeScript('start-one.sh', ['cassandra2']);
      const startMs = Date.now() - t;
      t = Date.now();
      const filesAtReturn = await hintsFor();
      await waitFor('the hints for the returned node to be delivered', async () => ((await hintsFor()) === 0 ? true : undefined), { timeoutMs: 180_000, intervalMs: 500 });
      const deliveredMs = Date.now() - t;
      watching = false;
      await watch;

      const produced = await producing;
      expect(produced.failures).toEqual([]);
      expect(produced.sent).toBe(total);
      // the processor has consumed everything (mentions included) before anything is read
      const topics = topicSpecs().filter((s) => !s.name.endsWith('.dlq')).map((s) => s.name);
      await waitFor('the processor to commit every record', async () => {
        for (const tp of topics) {
          const [c, e] = [await world.committed(tp), await world.endOffsets(tp)];
          if (c.length !== e.length || c.some((x, i) => x < e[i]!)) return undefined;
        }
        return true;
      }, { timeoutMs: 180_000, intervalMs: 1000 });
      // and any hints written while it caught up are delivered too
      await waitFor('no hint left for the returned node', async () => ((await hintsFor()) === 0 ? true : undefined), { timeoutMs: 60_000, intervalMs: 500 });

      // the returned node alone
      const alone = nodeClient(stopped, { keyspace: world.keyspace, consistency: consistencies.one });
      let aloneDiff: string[];
      try {
        const tables = await readTables(alone);
        aloneDiff = diffTables(expected, tables);
        if (aloneDiff.length === 0) aloneDiff = checkSnapshot(await readCassandraSnapshot(alone, world.keyspace)).map((d) => `oracle on ${stopped} alone: ${d}`);
      } finally {
        await alone.shutdown();
      }

      const all = ringClient(world.keyspace, consistencies.all);
      try {
        const result = await converge(all, expected, { timeoutMs: 60_000 });
        console.log(`cassandra node outage: stop-one ${stopMs} ms, down ${OUTAGE_MS} ms, start-one ${startMs} ms; ${committedDuringOutage} trades committed while it was down; ` +
          `/readyz ready in ${(readyDuringOutage * 100).toFixed(0)}% of ${readiness.length} probes; hint files for ${stopped}: up to ${maxHintFiles} during the outage, ${filesAtReturn} at its return, ` +
          `all delivered ${deliveredMs} ms after start-one; longest tick ${produced.maxSendMs} ms; ${stopped} alone at ONE: ${aloneDiff.length === 0 ? 'equal to the recomputation' : aloneDiff.join(' | ')}; ` +
          `read at ALL: ${result.diff.length === 0 ? 'equal' : 'different'} (${result.ms} ms): ${sizes(result.actual)}`);
        expect(committedDuringOutage, 'writes went on at quorum with one node down').toBeGreaterThan(1000);
        expect(readyDuringOutage, 'one node of three down: the processor stays ready').toBe(1);
        expect(maxHintFiles, 'the other nodes kept hints for the stopped one').toBeGreaterThan(0);
        expect(aloneDiff, 'the returned node holds every row by itself (hinted handoff)').toEqual([]);
        expect(result.diff).toEqual([]);
        // the oracle, at ALL (converge checks it at the client's consistency too)
        expect(checkSnapshot(await readCassandraSnapshot(all, world.keyspace, { consistency: consistencies.all }))).toEqual([]);
      } finally {
        await all.shutdown();
      }
    } finally {
      watching = false;
    }
    expect(processor.running, processor.tail()).toBe(true);
    await processor.stop();
  }, 900_000);
});
