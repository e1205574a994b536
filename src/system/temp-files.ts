// Temp files that must not outlive the run: their users remove them when done, and these hooks
// remove them when Ctrl-C or a kill cuts the run short (then re-raise the signal, so the process
// ends as it would have).
import { rmSync } from 'node:fs';

const pending = new Set<string>();
let hooked = false;

function hookSignals(): void {
  if (hooked) return;
  hooked = true;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const f of pending) rmSync(f, { force: true, recursive: true });
      process.kill(process.pid, sig);
    });
  }
}

/** Marks a path (file or folder) for removal should a signal end the run before release(). */
export function holdTemp(path: string): void {
  hookSignals();
  pending.add(path);
}

/** The path is dealt with (renamed into place or removed): a signal no longer touches it. */
export function releaseTemp(path: string): void {
  pending.delete(path);
}
