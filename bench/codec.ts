/**
 * Codec: Avro (Confluent wire format) against JSON for the same trades and
 * comments — encoded size, and decode speed from bytes as a consumer sees them.
 * Bars: Avro ≤ 0.5 of JSON's bytes; decode ≥ 2× JSON.parse.
 *   node bench/codec.ts
 */
import { Bench } from 'tinybench';
import { createMemoryRegistry } from '../services/lib/io/avro/registry.ts';
import { createSerde } from '../services/lib/io/avro/serde.ts';
import { TOPICS, TOPIC_RECORD } from '../services/lib/io/bus/topics.ts';
import { createReplaySource } from '../services/lib/io/sources/index.ts';
import type { RedditPost, Trade } from '../services/lib/domain/types.ts';
import { fromRoot } from '../services/lib/runtime/paths.ts';
import { printTable, recordResults } from './lib/results.ts';

async function collect<T>(source: { run(emit: (items: T[]) => Promise<void>, signal: AbortSignal): Promise<void> }): Promise<T[]> {
  const out: T[] = [];
  await source.run(async (items) => { out.push(...items); }, new AbortController().signal);
  return out;
}

const trades = await collect<Trade>(createReplaySource({ path: fromRoot('data/recorded/finnhub-sample.jsonl'), source: 'finnhub' }));
const comments = (await collect<RedditPost>(createReplaySource({ path: fromRoot('data/recorded/reddit-sample.jsonl'), source: 'reddit' })))
  .filter((p) => p.kind === 'comment');
const serde = createSerde({ registry: createMemoryRegistry(), topics: TOPIC_RECORD });
await serde.init();

const sets = [
  { name: 'trades', topic: TOPICS.trades, values: trades as unknown[] },
  { name: 'comments', topic: TOPICS.comments, values: comments as unknown[] },
];
const rows: [string, string][] = [];
const figures: Record<string, number> = {};
let avroBytes = 0;
let jsonBytes = 0;
let sink = 0;
const bench = new Bench({ time: 1000, warmupTime: 200 });
for (const set of sets) {
  // JSON of the same domain objects, `kind` included (Avro leaves it off the wire and
  // puts it back): both sides decode to the same domain object
  const avro = set.values.map((v) => serde.encode(set.topic, v));
  const json = set.values.map((v) => Buffer.from(JSON.stringify(v)));
  const a = avro.reduce((s, b) => s + b.length, 0);
  const j = json.reduce((s, b) => s + b.length, 0);
  avroBytes += a;
  jsonBytes += j;
  rows.push([`${set.name}: records`, String(set.values.length)], [`${set.name}: bytes Avro / JSON`, `${a} / ${j} = ${(a / j).toFixed(2)}`]);
  bench.add(`${set.name}: decode Avro`, () => { for (const b of avro) sink += serde.decodeCached!(set.topic, b) === undefined ? 0 : 1; });
  bench.add(`${set.name}: JSON.parse`, () => { for (const b of json) sink += JSON.parse(b.toString('utf8')) === null ? 0 : 1; });
}
await bench.run();
const p50 = (name: string) => (bench.tasks.find((t) => t.name === name)!.result as unknown as { throughput: { p50: number } }).throughput.p50;
const decodeRatios = sets.map((s) => p50(`${s.name}: decode Avro`) / p50(`${s.name}: JSON.parse`));
for (const [i, s] of sets.entries()) {
  const per = s.values.length;
  rows.push([`${s.name}: decode records/s Avro / JSON`, `${Math.round(p50(`${s.name}: decode Avro`) * per).toLocaleString('en-US')} / ${Math.round(p50(`${s.name}: JSON.parse`) * per).toLocaleString('en-US')} = ${decodeRatios[i]!.toFixed(2)}×`]);
}
figures.avro_bytes_vs_json = Number((avroBytes / jsonBytes).toFixed(3));
figures.avro_decode_vs_json = Number(Math.min(...decodeRatios).toFixed(2));
rows.push(['overall bytes Avro / JSON', `${figures.avro_bytes_vs_json}  (bar: ≤ 0.5)`], ['decode Avro vs JSON.parse (worst set)', `${figures.avro_decode_vs_json}×  (bar: ≥ 2×)`]);
printTable('Codec: Avro (Confluent wire format) vs JSON, same records, medians', rows);
recordResults('codec', figures, { trades: trades.length, comments: comments.length, checksum: sink > 0 });
