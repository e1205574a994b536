// Golden test: every `--list` and `--disasm` reference the real jeprof wrote for the corpus, byte for byte.
import { describe, expect, it, beforeAll } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { caseNames, changedSystemLibraries, installCase, modeOf, references } from '../helpers/corpus.js';

for (const name of caseNames()) {
  const refs = references(name).filter((r) => modeOf(r.args) === 'list' || modeOf(r.args) === 'disasm');
  if (refs.length === 0) continue;
  describe.concurrent(`corpus ${name}: --list/--disasm match the real jeprof`, () => {
    let where = '';
    beforeAll(() => {
      where = installCase(name);
      const changed = changedSystemLibraries(name);
      if (changed.length > 0) {
        throw new Error(`these system libraries differ from the ones the goldens were made with, so routines and disassembly would too: ${changed.join(', ')} (install libc6-dbg and the Debian 12 packages named in fixtures/corpus/${name}/system-libs.json)`);
      }
    });
    for (const ref of refs) {
      it(`${ref.name}: jeprof ${ref.args.join(' ')}`, async () => {
        const got = await runCli(ref.args, { cwd: where });
        expect(got.stdout).toBe(ref.expectedStdout);
        expect(got.code === 0, `exit code ${got.code}, jeprof's was ${ref.rc}; stderr: ${got.stderr}`).toBe(ref.rc === 0);
      });
    }
  });
}
