// Writes a report to a file whole or not at all: a temp file in the same folder, then rename.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const pending = new Set<string>();
let hooked = false;

/** Removes temp files of writes cut short by Ctrl-C or a kill, then lets the signal end the process. */
function hookSignals(): void {
  if (hooked) return;
  hooked = true;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const f of pending) rmSync(f, { force: true });
      process.kill(process.pid, sig);
    });
  }
}

export function writeFileAtomic(path: string, cwd: string, data: string | Uint8Array): void {
  const target = resolve(cwd, path);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  hookSignals();
  pending.add(tmp);
  try {
    writeFileSync(tmp, data, { mode: 0o644 });
    renameSync(tmp, target);
  } finally {
    pending.delete(tmp);
    rmSync(tmp, { force: true });
  }
}
