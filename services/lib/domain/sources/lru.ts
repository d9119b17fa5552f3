/**
 * A bounded map that forgets the least recently used key first. Used to
 * remember which Reddit fullnames were already emitted and which parent titles
 * are known, so a long-running poller never grows without limit.
 */
export interface BoundedLru<K, V> {
  get(key: K): V | undefined;
  has(key: K): boolean;
  set(key: K, value: V): void;
  readonly size: number;
}

export function createBoundedLru<K, V>(capacity: number): BoundedLru<K, V> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`LRU capacity must be a positive integer, got ${capacity}`);
  const entries = new Map<K, V>();
  return {
    get(key) {
      if (!entries.has(key)) return undefined;
      const value = entries.get(key) as V;
      // Re-insert so Map's insertion order doubles as recency order.
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    has(key) {
      return entries.has(key);
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
    },
    get size() {
      return entries.size;
    },
  };
}
