// A real Go heap profile: a program built here with the installed Go toolchain writes one with
// runtime/pprof, and jeprof-ts reads it with no program argument and shows what go tool pprof shows.
import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { goEnv, goPprof, needGo, parseJeprofText, parsePprofTop } from '../helpers/go-pprof.js';
import { tempDir } from '../helpers/temp-dir.js';

const SOURCE = join(import.meta.dirname, '..', '..', 'fixtures', 'go-heap', 'main.go');
const TOP = ['-top', '-unit=B', '-nodefraction=0', '-edgefraction=0', '-nodecount=1000000'];

describe('a Go runtime/pprof heap profile', () => {
  let profile = '';
  const env = goEnv();
  beforeAll(() => {
    needGo();
    const dir = tempDir('jeprof-ts-goheap-');
    copyFileSync(SOURCE, join(dir, 'main.go'));
    writeFileSync(join(dir, 'go.mod'), 'module heapdemo\n\ngo 1.19\n');
    execFileSync('go', ['build', '-o', 'prog', '.'], { cwd: dir, env });
    profile = join(dir, 'heap.pb.gz');
    execFileSync(join(dir, 'prog'), [profile], { cwd: dir, env });
  });

  for (const type of ['inuse_space', 'alloc_space']) {
    it(`top --show_bytes --sample_index=${type} prints go tool pprof's total and flat values, exactly`, async () => {
      const ours = await runCli(['top', '--show_bytes', `--sample_index=${type}`, profile]);
      expect(ours.code, ours.stderr).toBe(0);
      const theirs = goPprof([...TOP, `-sample_index=${type}`, profile], env);
      expect(theirs.code, theirs.stderr).toBe(0);
      const a = parseJeprofText(ours.stdout);
      const b = parsePprofTop(theirs.stdout, false);
      expect(a.total).toBe(b.total);
      // Go's values are integers already: nothing to round, so every row is equal.
      expect(Object.fromEntries(a.flat)).toEqual(Object.fromEntries(b.flat));
      // The program's own functions, with what they keep: 40 * 64 KiB.
      expect(a.flat.get('main.allocLarge')).toBe(40 * 65536);
      expect(a.flat.has('main.allocSmall')).toBe(true);
    });
  }

  it('the default is the file\'s inuse_space, and objects count', async () => {
    const space = await runCli(['top', '--show_bytes', profile]);
    expect(space.stdout).toMatch(/^ *2621440 .* main\.allocLarge$/m);
    const objects = await runCli(['top', '--inuse_objects', profile]);
    expect(objects.stdout).toMatch(/^ *40 .* main\.allocLarge$/m);
  });
});
