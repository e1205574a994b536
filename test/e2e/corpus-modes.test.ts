// Golden test: the real jeprof's --collapsed, --callgrind, --dot and --raw outputs for the corpus
// (--raw: the symbol section, then jeprof dies for a local profile, so the exit is a failure too).
// jeprof prints these in Perl hash order, so references marked order-differs compare sorted lines.
import { describe, expect, it, beforeAll } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { caseNames, installCase, modeOf, references } from '../helpers/corpus.js';

const MODES = ['collapsed', 'callgrind', 'dot', 'raw'];

for (const name of caseNames()) {
  const refs = references(name).filter((r) => MODES.includes(modeOf(r.args)) && !r.stable.includes('stdout:content-differs'));
  if (refs.length === 0) continue;
  describe.concurrent(`corpus ${name}: --collapsed/--callgrind/--dot/--raw match the real jeprof`, () => {
    let where = '';
    beforeAll(() => {
      where = installCase(name);
    });
    for (const ref of refs) {
      it(`${ref.name}: jeprof ${ref.args.join(' ')}`, async () => {
        const got = await runCli(ref.args, { cwd: where });
        if (ref.stable.includes('stdout:order-differs')) {
          expect(got.stdout.split('\n').sort()).toEqual(ref.expectedStdout.split('\n').sort());
        } else {
          expect(got.stdout).toBe(ref.expectedStdout);
        }
        expect(got.code === 0, got.stderr).toBe(ref.rc === 0);
      });
    }
  });
}
