/**
 * The watermarks saved beside a Kafka offset commit (as its metadata string)
 * and read back on restart for WindowAggregator.restore().
 *
 * Grammar: JSON `{"v":1,"wm":{"<aggregator name>": <number> | null}}` where
 * null stands for −Infinity (no record seen yet), which JSON cannot spell —
 * JSON.stringify(-Infinity) silently gives null, and decoding that as 0 would
 * reject every record before 1970 and, worse, hide a bug. Several aggregators
 * consuming one partition share one commit, so the map is keyed by name.
 * An empty or absent metadata string (first start) decodes to no watermarks.
 */
export type Watermarks = Record<string, number>;

export function encodeWatermarks(marks: Readonly<Watermarks>): string {
  const wm: Record<string, number | null> = {};
  for (const [name, value] of Object.entries(marks)) {
    if (typeof value !== 'number' || Number.isNaN(value) || value === Infinity) {
      throw new RangeError(`watermark "${name}" must be a finite number or -Infinity, got ${String(value)}`);
    }
    wm[name] = value === -Infinity ? null : value;
  }
  return JSON.stringify({ v: 1, wm });
}

export function decodeWatermarks(text: string | null | undefined): Watermarks {
  if (text === null || text === undefined || text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new RangeError(`commit metadata is not a watermark checkpoint: ${JSON.stringify(text.slice(0, 80))}`, { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { v?: unknown }).v !== 1) {
    throw new RangeError(`commit metadata has no version-1 watermark checkpoint: ${JSON.stringify(text.slice(0, 80))}`);
  }
  const wm = (parsed as { wm?: unknown }).wm;
  if (typeof wm !== 'object' || wm === null || Array.isArray(wm)) {
    throw new RangeError('commit metadata checkpoint lacks its "wm" map');
  }
  const marks: Watermarks = {};
  for (const [name, value] of Object.entries(wm)) {
    if (value === null) marks[name] = -Infinity;
    else if (typeof value === 'number' && Number.isFinite(value)) marks[name] = value;
    else throw new RangeError(`commit metadata watermark "${name}" is not a number: ${JSON.stringify(value)}`);
  }
  return marks;
}
