/**
 * Watching processes drain a backlog: their /metrics (or progress lines),
 * their RSS, and where the machine's CPU went meanwhile.
 */
import { Child, machineCpu, metricSum, procStats, serverPid, sleep } from './stack.ts';

export interface CpuShare {
  /** CPU seconds per component over the window, and as % of the machine's capacity */
  seconds: Record<string, number>;
  percentOfMachine: Record<string, number>;
  windowS: number;
}

/** CPU seconds of processes by name, from two /proc readings */
export function cpuMeter(pids: Record<string, number[]>) {
  const read = () => {
    const per: Record<string, number> = {};
    for (const [name, list] of Object.entries(pids)) per[name] = list.reduce((s, p) => s + (procStats(p)?.cpuS ?? 0), 0);
    return { per, machine: machineCpu(), at: performance.now() };
  };
  const start = read();
  return {
    stop(): CpuShare {
      const end = read();
      const windowS = (end.at - start.at) / 1000;
      const capacity = end.machine.totalS - start.machine.totalS;
      const seconds: Record<string, number> = {};
      let named = 0;
      for (const name of Object.keys(pids)) {
        seconds[name] = end.per[name]! - start.per[name]!;
        named += seconds[name]!;
      }
      const busy = end.machine.busyS - start.machine.busyS;
      seconds['other (incl. other users)'] = Math.max(0, busy - named);
      seconds.idle = Math.max(0, capacity - busy);
      const percentOfMachine: Record<string, number> = {};
      for (const [k, v] of Object.entries(seconds)) percentOfMachine[k] = Math.round((1000 * v) / Math.max(capacity, 1e-9)) / 10;
      for (const k of Object.keys(seconds)) seconds[k] = Math.round(seconds[k]! * 100) / 100;
      return { seconds, percentOfMachine, windowS: Math.round(windowS * 100) / 100 };
    },
  };
}

export const stackPids = (): Record<string, number[]> => {
  const out: Record<string, number[]> = {};
  for (const s of ['kafka', 'cassandra', 'registry'] as const) {
    const pid = serverPid(s);
    if (pid) out[s] = [pid];
  }
  return out;
};

export interface DrainResult {
  ms: number;
  records: number;
  perSecond: number;
  rssMaxMb: number;
  /** [fraction of the backlog done, RSS MB of the processes summed] */
  rssTrail: [number, number][];
  cpu: CpuShare;
  /** progress over time: [ms since first record, records] */
  trail: [number, number][];
}

/**
 * Polls `procs` until `progress` (records done, from their metrics) reaches
 * `target` and `extraDone` (if given) holds. The clock starts at the first
 * poll that sees a record consumed.
 */
export async function watchProcessors(
  procs: Child[],
  target: number,
  options: {
    progress: (m: Map<string, number>[]) => number;
    started?: (m: Map<string, number>[]) => boolean;
    extraDone?: (m: Map<string, number>[]) => boolean;
    timeoutMs: number;
    pollMs?: number;
    /** the servers whose CPU is measured, by component; default the local stack's (stackPids) */
    servers?: () => Record<string, number[]>;
  },
): Promise<DrainResult> {
  const started = options.started ?? ((ms) => ms.some((m) => metricSum(m, 'stockstreamer_records_in_total') > 0));
  const pids = (): number[] => procs.map((p) => p.pid!).filter(Boolean);
  const deadline = Date.now() + options.timeoutMs;
  let first = 0;
  let meter: ReturnType<typeof cpuMeter> | undefined;
  let rssMaxMb = 0;
  const rssTrail: [number, number][] = [];
  const trail: [number, number][] = [];
  for (;;) {
    const ms = await Promise.all(procs.map((p) => p.metrics()));
    const now = performance.now();
    if (first === 0 && started(ms)) {
      first = now;
      meter = cpuMeter({ processor: pids(), ...(options.servers ?? stackPids)(), 'bench runner': [process.pid] });
    }
    const rss = pids().reduce((s, pid) => s + (procStats(pid)?.rssMb ?? 0), 0);
    rssMaxMb = Math.max(rssMaxMb, rss);
    const done = options.progress(ms);
    if (first > 0) {
      rssTrail.push([done / target, Math.round(rss)]);
      trail.push([Math.round(now - first), done]);
    }
    if (first > 0 && done >= target && (options.extraDone?.(ms) ?? true)) {
      return { ms: now - first, records: target, perSecond: target / ((now - first) / 1000), rssMaxMb: Math.round(rssMaxMb), rssTrail, cpu: meter!.stop(), trail };
    }
    for (const p of procs) if (p.exitCode !== undefined) throw new Error(`${p.name} exited (${p.exitCode}) during the drain; see ${p.logFile}`);
    if (Date.now() > deadline) throw new Error(`drain not done after ${options.timeoutMs} ms: ${done}/${target}`);
    await sleep(options.pollMs ?? 200);
  }
}

/** Waits for a bench consumer's progress lines to reach `target`; rate from its own first-record time. */
export async function watchConsumer(c: Child, target: number, timeoutMs: number): Promise<{ perSecond: number; ms: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = c.lines.at(-1);
    if (last) {
      const p = JSON.parse(last) as { n: number; first: number; t: number };
      if (p.n >= target) {
        // the line that first reached the target
        const hit = c.lines.map((l) => JSON.parse(l) as typeof p).find((x) => x.n >= target)!;
        const ms = hit.t - hit.first;
        return { ms, perSecond: hit.n / (ms / 1000) };
      }
    }
    if (c.exitCode !== undefined) throw new Error(`${c.name} exited (${c.exitCode}); see ${c.logFile}`);
    if (Date.now() > deadline) throw new Error(`${c.name}: not done after ${timeoutMs} ms (${last ?? 'no progress'})`);
    await sleep(100);
  }
}
