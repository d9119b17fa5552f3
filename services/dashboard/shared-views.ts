/**
 * One store query per view and period, whoever asks (issue 13): the rule of
 * the live stream's poll loop, applied to the JSON API. A view is a route and
 * its parameters; its answer is computed at most once per `maxAgeMs` and the
 * same answer serves every page and client asking meanwhile, so the store's
 * load follows the number of distinct views, not the number of viewers or
 * their request rate. Every view already follows a clock that moves by the
 * second (the default ranges end "now"), and the live page refreshes once a
 * second, so an answer up to `maxAgeMs` old is what a poller would have seen.
 *
 * - Concurrent requests for a view not computed yet wait for one computation
 *   (single flight); an error (a bad parameter, the store down) is not kept:
 *   it goes to the requests that waited for it, and the next one tries again.
 * - An answer older than `maxAgeMs` is still served while its refresh runs,
 *   up to `maxStaleMs`: a request never waits on a refresh that another view's
 *   traffic started. Older than that, the request waits for the refresh.
 * - A view that takes long to compute is refreshed less often: an answer
 *   stays fresh for `costFactor` times its computation, if that is longer
 *   than `maxAgeMs`, so no view keeps the store and this process busy more
 *   than 1/costFactor of the time (a 24-hour ranking reads ~40,000 hour
 *   rows; once a second would be most of a core, for a figure that moves
 *   once an hour).
 * - At most `maxViews` answers are kept, the least recently asked dropped
 *   first: a stream of distinct parameters cannot grow memory without bound.
 */
export interface SharedViews {
  /** the view's answer: fresh, being refreshed, or computed now */
  get(key: string, compute: () => Promise<string>): Promise<string>;
  /** answers kept now */
  readonly size: number;
}

export function createSharedViews(options: { maxAgeMs: number; maxStaleMs: number; maxViews: number; costFactor?: number; now?: () => number }): SharedViews {
  const now = options.now ?? (() => performance.now());
  const costFactor = options.costFactor ?? 5;
  /** at: when the answer was computed; cost: how long that took (ms) */
  interface Entry { value?: string; at: number; cost: number; refresh?: Promise<string> }
  const views = new Map<string, Entry>();

  const remember = (key: string, entry: Entry): void => {
    views.delete(key);
    views.set(key, entry);
    while (views.size > options.maxViews) views.delete(views.keys().next().value!);
  };

  const refresh = (key: string, entry: Entry, compute: () => Promise<string>): Promise<string> => {
    const started = now();
    entry.refresh ??= compute().then(
      (value) => {
        entry.value = value;
        entry.at = now();
        entry.cost = entry.at - started;
        entry.refresh = undefined;
        return value;
      },
      (err: unknown) => {
        entry.refresh = undefined;
        if (entry.value === undefined) views.delete(key);
        throw err;
      },
    );
    return entry.refresh;
  };

  return {
    get size() {
      return views.size;
    },
    async get(key, compute) {
      let entry = views.get(key);
      if (entry === undefined) {
        entry = { at: -Infinity, cost: 0 };
        remember(key, entry);
        return refresh(key, entry, compute);
      }
      remember(key, entry);
      if (entry.value === undefined) return refresh(key, entry, compute);
      const age = now() - entry.at;
      const fresh = Math.max(options.maxAgeMs, costFactor * entry.cost);
      if (age < fresh) return entry.value;
      const next = refresh(key, entry, compute);
      if (age < Math.max(options.maxStaleMs, fresh + options.maxStaleMs - options.maxAgeMs)) {
        // served stale meanwhile; a failed refresh is retried by the next request
        next.catch(() => {});
        return entry.value;
      }
      return next;
    },
  };
}

/** A view's key: the path and its parameters in a fixed order, so ?a=1&b=2 and ?b=2&a=1 share an answer. */
export function viewKey(path: string, params: URLSearchParams): string {
  const sorted = new URLSearchParams([...params].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0)));
  return `${path}?${sorted.toString()}`;
}
