import type { InsightReader, LatestPrice, MentionSummary, StoreReader } from '../lib/io/store/repository.ts';
import type { Clock } from '../lib/runtime/clock.ts';
import { slidingWindow } from '../lib/domain/insight/cover.ts';
import { rankTickers } from '../lib/domain/insight/rankings.ts';
import { readCover } from '../lib/io/store/tally-reads.ts';
import { createPriceReferences } from '../dashboard/price-reference.ts';

export interface SummaryInput {
  at: number;
  /** with the price the change is measured against (the previous close; dashboard/price-reference.ts), null when none is stored */
  prices: (LatestPrice & { reference?: number | null })[];
  top: MentionSummary[];
  /** records per second over the last refresh, by stream */
  rates: { trades: number; posts: number; mentions: number };
  totals: { trades: number; posts: number; deadLetters: number };
}

const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** The terminal view of `stockstreamer run`: pure, so a test can read it. */
export function renderSummary(s: SummaryInput): string {
  const lines: string[] = [];
  lines.push(`stockstreamer — ${new Date(s.at).toISOString().replace('T', ' ').slice(0, 19)} UTC`);
  lines.push(`${s.rates.trades.toFixed(0)} trades/s · ${s.rates.posts.toFixed(0)} posts/s · ${s.rates.mentions.toFixed(0)} mentions/s`
    + ` · totals: ${s.totals.trades} trades, ${s.totals.posts} posts, ${s.totals.deadLetters} dead letters`);
  lines.push('');
  lines.push(`${pad('SYMBOL', 8)}${lpad('PRICE', 12)}${lpad('CHANGE', 10)}   ${pad('TICKER', 8)}${lpad('MENTIONS/1h', 12)}${lpad('SENTIMENT', 11)}`);
  const rows = Math.max(s.prices.length, s.top.length);
  for (let i = 0; i < rows; i++) {
    const p = s.prices[i];
    const m = s.top[i];
    const change = p && p.reference ? ((p.price - p.reference) / p.reference) * 100 : null;
    const left = p
      ? `${pad(p.symbol, 8)}${lpad(p.price.toFixed(2), 12)}${lpad(change === null ? '—' : `${change >= 0 ? '+' : ''}${change.toFixed(2)}%`, 10)}`
      : ' '.repeat(30);
    const right = m
      ? `${pad(m.ticker, 8)}${lpad(String(m.count), 12)}${lpad(`${m.meanSentiment >= 0 ? '+' : ''}${m.meanSentiment.toFixed(2)}`, 11)}`
      : '';
    lines.push(`${left}   ${right}`.trimEnd());
  }
  if (rows === 0) lines.push('(waiting for the first records…)');
  else lines.push('', 'change: against the previous close (16:00 New York; 24 h for round-the-clock symbols), — before one is stored · mentions: the last 60 minutes');
  return lines.join('\n');
}

export interface Counters {
  trades(): number;
  posts(): number;
  mentions(): number;
  deadLetters(): number;
}

/**
 * Refreshes the summary every `intervalMs`: redraws in place on a terminal,
 * prints a plain block every few refreshes otherwise (logs, CI).
 */
export function startSummary(deps: {
  store: StoreReader & InsightReader; clock: Clock; counters: Counters; out: NodeJS.WriteStream; intervalMs?: number;
}): { stop(): void; render(): Promise<string> } {
  const interval = deps.intervalMs ?? 1000; // milliseconds
  let last = { at: deps.clock.now(), trades: deps.counters.trades(), posts: deps.counters.posts(), mentions: deps.counters.mentions() };
  let ticks = 0;
  const references = createPriceReferences(deps.store);
  const render = async () => {
    const now = deps.clock.now();
    // the last 60 minutes sliding with the minute, exact from the crowd tallies: a clock hour empties at every full hour
    const w = slidingWindow(now, 3_600_000);
    const [latest, tallies] = await Promise.all([deps.store.latestPrices(), readCover(deps.store, w.fromMs, w.toMs)]);
    const prices = await Promise.all(latest.map(async (p) => ({ ...p, reference: (await references.of(p))?.price ?? null })));
    const top: MentionSummary[] = rankTickers(tallies, []).slice(0, 10).map((t) => ({ ticker: t.ticker, count: t.mentions, meanSentiment: t.meanSentiment }));
    const cur = { at: now, trades: deps.counters.trades(), posts: deps.counters.posts(), mentions: deps.counters.mentions() };
    const secs = Math.max((cur.at - last.at) / 1000, 0.001);
    const text = renderSummary({
      at: now, prices, top,
      rates: { trades: (cur.trades - last.trades) / secs, posts: (cur.posts - last.posts) / secs, mentions: (cur.mentions - last.mentions) / secs },
      totals: { trades: cur.trades, posts: cur.posts, deadLetters: deps.counters.deadLetters() },
    });
    last = cur;
    return text;
  };
  const timer = setInterval(() => {
    void render().then((text) => {
      ticks++;
      if (deps.out.isTTY) deps.out.write(`\x1b[H\x1b[2J${text}\n`);
      else if (ticks % 5 === 1) deps.out.write(`${text}\n\n`);
    }).catch(() => {});
  }, interval);
  timer.unref();
  return { stop: () => clearInterval(timer), render };
}
