// Golden test: every `--text` reference the real jeprof wrote for the corpus, byte for byte.
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { caseNames, changedSystemLibraries, installCase, modeOf, references } from '../helpers/corpus.js';

/** Some references ran the program from a copy in a sub-folder (e.g. elsewhere/app); make it. */
function stageCopies(where: string, args: string[]): string[] {
  const made: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') || a.startsWith('/') || !a.replace(/^\.\//, '').includes('/')) continue;
    const target = join(where, a);
    const src = join(where, a.split('/').pop()!);
    if (!existsSync(target) && existsSync(src)) {
      mkdirSync(join(target, '..'), { recursive: true });
      copyFileSync(src, target);
      made.push(join(where, a.replace(/^\.\//, '').split('/')[0]));
    }
  }
  return made;
}

for (const name of caseNames()) {
  describe.concurrent(`corpus ${name}: --text matches the real jeprof`, () => {
    let where = '';
    beforeAll(() => {
      where = installCase(name);
      const changed = changedSystemLibraries(name);
      if (changed.length > 0) {
        throw new Error(`these system libraries differ from the ones the goldens were made with, so frame names would too: ${changed.join(', ')} (install libc6-dbg and the Debian 12 packages named in fixtures/corpus/${name}/system-libs.json)`);
      }
    });
    for (const ref of references(name).filter((r) => modeOf(r.args) === 'text')) {
      it(`${ref.name}: jeprof ${ref.args.join(' ')}`, async () => {
        const made = stageCopies(where, ref.args);
        try {
          const got = await runCli(ref.args, { cwd: where });
          expect(got.stdout).toBe(ref.expectedStdout);
          expect(got.code === 0, `exit code ${got.code}, jeprof's was ${ref.rc}; stderr: ${got.stderr}`).toBe(ref.rc === 0);
          if (got.code !== 0) expect(got.stderr.trim().split('\n').length, got.stderr).toBeLessThanOrEqual(3);
        } finally {
          for (const m of made) rmSync(m, { recursive: true, force: true });
        }
      });
    }
  });
}
