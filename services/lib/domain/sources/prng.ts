/**
 * Seeded randomness for the synthetic feeds and tests. Everything random in
 * the domain takes a `random: () => number` in [0, 1); this is the
 * deterministic one (mulberry32: tiny, fast, good enough for fake markets).
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller); `1 - u` keeps log() away from zero. */
export function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Poisson count: exact for small means, normal approximation for large ones. */
export function poisson(mean: number, random: () => number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k += 1;
    p *= random();
  }
  return k;
}

export function pick<T>(items: readonly T[], random: () => number): T {
  if (items.length === 0) throw new RangeError('pick() needs at least one item');
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))] as T;
}
