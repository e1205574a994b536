// `Reading big.heap: 37% of 951 MiB` redrawn in place on a terminal while a dump is read, for a
// read that lasts: a 1 GB dump takes seconds, and a run that says nothing looks hung.
import { printable } from '../report/printable.js';

/**
 * A read shorter than this shows nothing (most dumps are read in well under it).
 * JEPROF_TS_PROGRESS_AFTER_MS changes it (a test's terminal run, whose 250 MB read may be over
 * in half a second on a fast machine).
 */
export const SHOW_AFTER_MS = 500;

/** SHOW_AFTER_MS, or JEPROF_TS_PROGRESS_AFTER_MS when it is a number >= 0. */
export function showAfterMs(env: NodeJS.ProcessEnv): number {
  const v = Number(env.JEPROF_TS_PROGRESS_AFTER_MS);
  return env.JEPROF_TS_PROGRESS_AFTER_MS && Number.isFinite(v) && v >= 0 ? v : SHOW_AFTER_MS;
}
/** The line is redrawn at most this often. */
const REDRAW_MS = 200;

export class ReadProgress {
  private readonly start: number;
  private last = -Infinity;
  private drawn = false;

  /** `now`: milliseconds from any origin (tests give a clock of their own). */
  constructor(
    private readonly write: (text: string) => void,
    private readonly name: string,
    private readonly now: () => number = () => performance.now(),
    private readonly showAfter = SHOW_AFTER_MS,
  ) {
    this.start = now();
  }

  /** `bytes` of the file's `total` read so far. */
  update(bytes: number, total: number): void {
    const t = this.now();
    if (t - this.start < this.showAfter || t - this.last < REDRAW_MS) return;
    this.last = t;
    this.drawn = true;
    const percent = Math.min(100, Math.floor((bytes * 100) / total));
    this.write(`\rReading ${printable(this.name)}: ${percent}% of ${Math.round(total / 1048576)} MiB`);
  }

  /** Clears the line, if one was drawn (before anything else is printed). */
  done(): void {
    if (this.drawn) this.write('\r\x1b[K');
    this.drawn = false;
  }
}
