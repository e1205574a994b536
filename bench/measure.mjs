// What the bench's rows print beside their numbers (issue 22): the machine's load, since the bench
// shares 2 cores with other work, and where a run's time goes (JEPROF_TS_PHASES=1).
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';

/** The 1-minute load average now. */
export const loadNow = () => loadavg()[0];

/** "load 4.2 -> 5.1": the 1-minute load average when a row began (`from`, a loadNow()) and now. */
export const loadSpan = (from) => `load ${from.toFixed(1)} -> ${loadNow().toFixed(1)}`;

/**
 * One more run of a command with JEPROF_TS_PHASES=1: the wall ms of each phase it printed, a phase
 * that comes more than once (trend's parse, once a dump) summed and its count given.
 */
export function phasesOf(cmd, args, cwd, env = {}) {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env, JEPROF_TS_PHASES: '1' }, encoding: 'utf8', maxBuffer: 1 << 30 });
  const sums = new Map();
  for (const m of r.stderr.matchAll(/^phase ([\w-]+): ([\d.]+) ms/gm)) {
    const [n, ms] = sums.get(m[1]) ?? [0, 0];
    sums.set(m[1], [n + 1, ms + Number(m[2])]);
  }
  return [...sums].map(([name, [n, ms]]) => `${name} ${Math.round(ms)}${n > 1 ? ` (${n} times)` : ''}`).join(', ') + ' ms';
}
