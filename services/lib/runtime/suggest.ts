/**
 * "Did you mean …?" for a name a person typed (a credentials key, a section, a
 * STOCKSTREAMER_* variable). Names are compared without case and separators
 * first, because `useragent`, `User-Agent` and `user_agent` are the same slip;
 * then by edit distance after the common prefix, allowing about one slip per
 * three characters of what differs.
 * (commander has the same helper but does not export it.)
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const w = norm(word);
  if (w.length === 0) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const n = norm(c);
    if (n === w) return c;
    // A shared prefix (STOCKSTREAMER_, FINNHUB_) says nothing about the slip: judge the rest.
    let p = 0;
    while (p < w.length && p < n.length && w[p] === n[p]) p++;
    const d = editDistance(w.slice(p), n.slice(p));
    if (d < bestDistance && d <= Math.max(1, Math.floor((Math.max(w.length, n.length) - p) / 3))) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
