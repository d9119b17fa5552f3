import type { TopicSpec } from './bus.ts';

/** The topics of the data path and the record each one carries. */
export const TOPICS = {
  trades: 'stock-trades',
  submissions: 'reddit-submissions',
  comments: 'reddit-comments',
  mentions: 'ticker-mentions',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export const TOPIC_RECORD = {
  [TOPICS.trades]: 'Trade',
  [TOPICS.submissions]: 'RedditSubmission',
  [TOPICS.comments]: 'RedditComment',
  [TOPICS.mentions]: 'TickerMention',
} as const;

/** Every topic has a dead-letter companion that keeps what could not be processed. */
export const dlqOf = (topic: string): string => `${topic}.dlq`;

export function topicSpecs(options: { partitions?: number; retentionMs?: number } = {}): TopicSpec[] {
  const partitions = options.partitions ?? 6;
  const main = Object.values(TOPICS).map((name) => ({ name, partitions, retentionMs: options.retentionMs ?? 7 * 24 * 3600_000 }));
  // Dead letters are kept longer: someone has to look at them.
  const dlq = main.map((t) => ({ name: dlqOf(t.name), partitions: 1, retentionMs: 30 * 24 * 3600_000 }));
  return [...main, ...dlq];
}
