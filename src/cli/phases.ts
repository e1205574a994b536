// JEPROF_TS_PHASES=1: wall time and memory after each phase of a run, on stderr, so a slow or
// big run shows where its time and memory went (the benchmark reads these too).

let last = 0;
let lastFaults = 0;
let lastCpu = 0;
let enabled = false;

/** Turns the phase lines on when the environment asks for them. */
export function startPhases(env: NodeJS.ProcessEnv, write: (s: string) => void): void {
  enabled = env.JEPROF_TS_PHASES === '1';
  last = 0;
  lastFaults = 0;
  lastCpu = 0;
  // Node's own start-up and loading our modules: performance.now() counts from process start.
  phaseDone('start-up', write);
}

/**
 * Reports one finished phase: its wall time, the heap in use, the process's RSS (and its peak so
 * far: a phase's passing peak is what a memory limit meets, not its end), the page faults
 * it took, and the CPU time of all the process's threads (the collector's and compiler's too).
 * Each fault is a 4 KiB page touched for the first time; on a virtual machine one costs about
 * 10 µs of system time, so they show where fresh memory costs time. CPU time is what to compare
 * on a busy machine, where wall time also counts the waits for a core.
 */
export function phaseDone(name: string, write: (s: string) => void): void {
  if (!enabled) return;
  const now = performance.now();
  const m = process.memoryUsage();
  const usage = process.resourceUsage();
  const faults = usage.minorPageFault;
  const cpu = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  const mb = (n: number) => (n / 1048576).toFixed(1);
  write(`phase ${name}: ${(now - last).toFixed(1)} ms, heap ${mb(m.heapUsed)} MiB, rss ${mb(m.rss)} MiB, ${faults - lastFaults} page faults, cpu ${(cpu - lastCpu).toFixed(1)} ms (since start ${now.toFixed(0)} ms), peak rss ${mb(usage.maxRSS * 1024)} MiB\n`);
  last = now;
  lastFaults = faults;
  lastCpu = cpu;
}

/** A line about how a phase went (a parse split between two threads, say), among the phase lines. */
export function phaseNote(text: string, write: (s: string) => void): void {
  if (enabled) write(`phase note: ${text}\n`);
}
