/**
 * The one option every window spec takes. Checked once when the spec is
 * built, so a bad value stops start-up instead of silently accepting or
 * rejecting everything.
 */
export function checkLateness(options: { latenessMs: number }, where: string): number {
  const known = new Set(['latenessMs']);
  for (const name of Object.keys(options)) {
    if (!known.has(name)) throw new RangeError(`${where}: unknown option "${name}" (only latenessMs)`);
  }
  const { latenessMs } = options;
  if (typeof latenessMs !== 'number' || !Number.isFinite(latenessMs) || latenessMs < 0) {
    throw new RangeError(`${where}: latenessMs must be a finite number ≥ 0 of milliseconds, got ${String(latenessMs)}`);
  }
  return latenessMs;
}
