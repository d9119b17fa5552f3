/** The feeds the producers choose from at start-up; see source.ts for the port. */
export type { Clock, ObservableSource, Sleep, Source, SourceStats } from './source.ts';
export { realSleep, systemClock } from './source.ts';
export { createFinnhubSource, type FinnhubSourceOptions } from './finnhub.ts';
export { createRedditSource, type RedditCredentials, type RedditSourceOptions } from './reddit.ts';
export {
  createSyntheticRedditSource, createSyntheticTradeSource,
  type SyntheticRedditSourceOptions, type SyntheticTradeSourceOptions,
} from './synthetic.ts';
export { createRecorder, createReplaySource, type Recorder, type RecordedLine, type RecordedSource, type ReplaySourceOptions } from './recording.ts';
