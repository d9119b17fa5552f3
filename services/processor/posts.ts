import type { RedditComment, RedditPost, TickerMention } from '../lib/domain/types.ts';
import type { SentimentScorer } from '../lib/domain/sentiment/index.ts';
import type { TickerExtractor } from '../lib/domain/tickers/index.ts';
import { TOPICS } from '../lib/io/bus/topics.ts';
import { roundSentiment } from '../lib/domain/windows/index.ts';
import type { PostRow } from '../lib/io/store/repository.ts';
import { timedWrite, type PipelineDeps, type TopicHandler } from './pipeline.ts';

export interface Enriched {
  post: PostRow;
  mentions: TickerMention[];
}

/**
 * Scores one post and finds its tickers: the pure step of the post path.
 * A comment that names no ticker inherits its parent submission's (by title).
 */
export function enrichPost(post: RedditPost, scorer: SentimentScorer, extractor: TickerExtractor): Enriched {
  const text = post.kind === 'submission' ? (post.selftext ? `${post.title}\n${post.selftext}` : post.title) : post.body;
  const shown = post.kind === 'submission' ? post.title : post.body;
  const scored = scorer.score(text);
  const sentiment = roundSentiment(scored.score);
  const label = scored.label;
  const tickers = extractor.extract({
    text,
    subreddit: post.subreddit,
    ...(post.kind === 'comment' && (post as RedditComment).linkTitle ? { parentTitle: (post as RedditComment).linkTitle } : {}),
  });
  const row: PostRow = {
    fullname: post.fullname, kind: post.kind, subreddit: post.subreddit, author: post.author, text: shown,
    permalink: post.permalink, created: post.created, score: post.score, sentiment, label, tickers,
  };
  const mentions = tickers.map((ticker): TickerMention => ({
    postId: post.fullname, ticker, kind: post.kind, subreddit: post.subreddit, author: post.author,
    text: shown, permalink: post.permalink, sentiment, label, created: post.created, score: post.score,
  }));
  return { post: row, mentions };
}

/**
 * reddit-submissions / reddit-comments → posts, posts_by_ticker, and the
 * mentions re-published to ticker-mentions keyed by ticker, so that exactly one
 * consumer (the owner of the ticker's partition) aggregates each ticker.
 * Stateless: a batch is committed as soon as its rows and mentions are durable.
 */
export function createPostHandler(deps: PipelineDeps & { scorer: SentimentScorer; extractor: TickerExtractor }): TopicHandler {
  return {
    assign() {},
    revoke() {},
    async handle(_batch, good, ctx) {
      const posts: PostRow[] = [];
      const mentions: TickerMention[] = [];
      for (const { value } of good) {
        const e = enrichPost(value as RedditPost, deps.scorer, deps.extractor);
        posts.push(e.post);
        for (const m of e.mentions) mentions.push(m);
      }
      // The raw rows first: a mention on the topic always has its posts_by_ticker
      // row already, so its owner can rebuild any bucket from the store alone.
      await ctx.durable('write posts', () => timedWrite(deps, 'posts', posts.length, () => deps.store.writePosts(posts, mentions)));
      if (mentions.length > 0) {
        // The bus time is when we publish, not the post's time (see validateEventTime).
        const messages = mentions.map((m) => ({ key: m.ticker, value: deps.serde.encode(TOPICS.mentions, m) }));
        await ctx.durable('publish mentions', () => deps.producer.send(TOPICS.mentions, messages));
        deps.metrics.produced.inc({ topic: TOPICS.mentions }, messages.length);
      }
    },
  };
}
