// JEPROF_TS_PHASES=1: wall time and memory after each phase of a run, on stderr, so a slow or
// big run shows where its time and memory went (the benchmark reads these too).

let last = 0;
let enabled = false;

/** Turns the phase lines on when the environment asks for them. */
export function startPhases(env: NodeJS.ProcessEnv, write: (s: string) => void): void {
  enabled = env.JEPROF_TS_PHASES === '1';
  last = 0;
  // Node's own start-up and loading our modules: performance.now() counts from process start.
  phaseDone('start-up', write);
}

/** Reports one finished phase: its wall time, then the heap in use and the process's RSS. */
export function phaseDone(name: string, write: (s: string) => void): void {
  if (!enabled) return;
  const now = performance.now();
  const m = process.memoryUsage();
  const mb = (n: number) => (n / 1048576).toFixed(1);
  write(`phase ${name}: ${(now - last).toFixed(1)} ms, heap ${mb(m.heapUsed)} MiB, rss ${mb(m.rss)} MiB (since start ${(now).toFixed(0)} ms)\n`);
  last = now;
}
