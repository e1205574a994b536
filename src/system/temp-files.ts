// Temp files that must not outlive the run: their users remove them when done, and these hooks
// remove them when Ctrl-C or a kill cuts the run short (then re-raise the signal, so the process
// ends as it would have).
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** A fresh folder for a tool run's files, held (see holdTemp) until dropTempDir. */
export function makeTempDir(): string {
  // The hooks first: a signal that comes between the folder's making and its hold would otherwise
  // meet no handler yet, end the run at once and leave the folder (a loaded machine can pause
  // this thread right there; a test that interrupts as soon as the folder shows saw it happen).
  hookSignals();
  const dir = mkdtempSync(join(tmpdir(), 'jeprof-ts-'));
  holdTemp(dir);
  return dir;
}

/**
 * Removes a makeTempDir folder in the background: dropping a freshly written answer file of a few
 * hundred KB took milliseconds of this thread per tool run. A pending removal keeps Node from
 * exiting before it is done, and the hold covers a signal meanwhile.
 */
export function dropTempDir(dir: string): void {
  void rm(dir, { recursive: true, force: true })
    .catch(() => {})
    .finally(() => releaseTemp(dir));
}
