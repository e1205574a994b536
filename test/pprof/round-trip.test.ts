// Exact round trip: for every corpus command that prints a top table or folded stacks, the
// profile exported with that command's options (`--proto`) prints the same stdout, byte for byte,
// read back with only the options that choose what to show. --lines is tried on each text case too.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { caseNames, installCase, modeOf, references } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Options that pick what to show from the profile; the rest (--base, filters, files) shaped the export. */
const DISPLAY = /^--(lines|addresses|files|functions|cum|show_bytes|inuse_space|inuse_objects|alloc_space|alloc_objects|thread)(=|$)/;

for (const name of caseNames()) {
  const refs = references(name).filter((r) => r.rc === 0 && ['text', 'collapsed'].includes(modeOf(r.args)));
  describe.concurrent(`corpus ${name}: the pprof export reads back to the same report`, () => {
    let where = '';
    let out = '';
    beforeAll(() => {
      where = installCase(name);
      out = tempDir('jeprof-ts-rt-');
    });
    for (const ref of refs) {
      const mode = `--${modeOf(ref.args)}`;
      const granular = ref.args.some((a) => /^--(lines|addresses|files)$/.test(a));
      const extras = mode === '--text' && !granular ? [[], ['--lines']] : [[]];
      it(`${ref.name}: jeprof-ts ${ref.args.join(' ')}`, async () => {
        const original = await runCli(ref.args, { cwd: where });
        // Commands the corpus only runs from another folder (text-prog-elsewhere) fail here; skip
        // those, every other must report.
        if (original.code !== 0) {
          expect(original.stderr).toMatch(/not found/);
          return;
        }
        const pb = join(out, `${ref.name}.pb.gz`);
        const exported = await runCli([...ref.args.map((a) => (a === mode ? '--proto' : a)), '-o', pb], { cwd: where });
        expect(exported.code, exported.stderr).toBe(0);
        for (const extra of extras) {
          const want = extra.length === 0 ? original : await runCli([...ref.args, ...extra], { cwd: where });
          const back = await runCli([mode, ...ref.args.filter((a) => DISPLAY.test(a)), ...extra, pb], { cwd: where });
          expect(back.code, back.stderr).toBe(0);
          expect(back.stdout, `${extra.join(' ')} read back`).toBe(want.stdout);
          // No program, no tool, no warning: the names come from the file.
          expect(back.stderr).toBe(`Using local file ${pb}.\n`);
        }
      });
    }
  });
}

describe('an export read back and exported again', () => {
  it('keeps the report, Total included, with --focus, --thread and names from the file', async () => {
    const where = installCase('threads');
    const dir = tempDir('jeprof-ts-rt2-');
    const args = ['--focus=fill_cache', '--thread=*', 'app', 'jeprof.30138.10.f.heap'];
    const want = await runCli(['--text', ...args], { cwd: where });
    expect((await runCli(['--proto', ...args, '-o', join(dir, 'a.pb.gz')], { cwd: where })).code).toBe(0);
    expect((await runCli(['--proto', '--thread=*', join(dir, 'a.pb.gz'), '-o', join(dir, 'b.pb.gz')])).code).toBe(0);
    const back = await runCli(['--text', '--thread=*', join(dir, 'b.pb.gz')]);
    // The per-thread Totals are of all each thread's stacks, not only those --focus kept.
    expect(want.stdout).toMatch(/^Total \(t\d+\): /m);
    expect(back.stdout).toBe(want.stdout);
  });
});
