// The commands record prints to dig further, from dumps in a real folder: the series as a glob
// only when the shell would expand it to exactly the interval dumps, else each path.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leakHuntDumps, listDumps } from '../../src/record/dumps.js';
import { followUpCommands, seriesWords } from '../../src/record/follow-up.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A folder `dir` under `cwd` holding empty files with these names. */
function folder(cwd: string, dir: string, names: string[]): string {
  const d = join(cwd, dir);
  mkdirSync(d, { recursive: true });
  for (const n of names) writeFileSync(join(d, n), '');
  return d;
}
const RUN = ['jeprof.77.0.i0.heap', 'jeprof.77.1.i1.heap', 'jeprof.77.2.m0.heap', 'jeprof.77.3.i2.heap', 'jeprof.77.4.f.heap'];
/** What `sh` makes of the words, one path a line (the shell's own globbing). */
const shell = (cwd: string, words: string) => execFileSync('sh', ['-c', `printf '%s\\n' ${words}`], { cwd, encoding: 'utf8' }).trim().split('\n').sort();

describe('followUpCommands', () => {
  it('with two or more interval dumps: trend over them first, then top, html and the rest, and jeprof last', () => {
    const cwd = tempDir('jeprof-ts-follow-up-');
    const dumps = listDumps(folder(cwd, 'out', RUN));
    expect(followUpCommands({ program: './app', cwd, dumps, hunt: leakHuntDumps(dumps)! })).toEqual([
      '  # which call sites grew across the whole run',
      '  jeprof-ts trend ./app ./out/jeprof.77.*.i*.heap',
      '  # what grew between the first and the last interval dump',
      '  jeprof-ts top ./app --base=./out/jeprof.77.0.i0.heap ./out/jeprof.77.3.i2.heap',
      '  # what was still held at exit',
      '  jeprof-ts top ./app ./out/jeprof.77.4.f.heap',
      '  # the same per source line',
      '  jeprof-ts top --lines ./app --base=./out/jeprof.77.0.i0.heap ./out/jeprof.77.3.i2.heap',
      '  # a flame graph, diff and trend in one HTML file',
      '  jeprof-ts html ./app --base=./out/jeprof.77.0.i0.heap ./out/jeprof.77.3.i2.heap -o heap.html',
      '  # folded stacks for flamegraph.pl or speedscope',
      '  jeprof-ts collapsed ./app --base=./out/jeprof.77.0.i0.heap ./out/jeprof.77.3.i2.heap > heap.folded',
      '  # why a frame has no name',
      '  jeprof-ts doctor ./app ./out/jeprof.77.4.f.heap',
      "  # the same with jemalloc's jeprof",
      '  jeprof --text ./app --base=./out/jeprof.77.0.i0.heap ./out/jeprof.77.3.i2.heap',
    ]);
  });

  it('with one interval dump: no trend, and html of the final dump alone', () => {
    const cwd = tempDir('jeprof-ts-follow-up-');
    const dumps = listDumps(folder(cwd, 'out', ['jeprof.5.0.i0.heap', 'jeprof.5.1.f.heap']));
    const lines = followUpCommands({ program: '/usr/bin/app', cwd, dumps, hunt: leakHuntDumps(dumps)! });
    expect(lines.filter((l) => l.includes('jeprof-ts trend'))).toEqual([]);
    expect(lines.slice(0, 2)).toEqual(['  # what was still held at exit', '  jeprof-ts top /usr/bin/app ./out/jeprof.5.1.f.heap']);
    expect(lines).toContain('  jeprof-ts html /usr/bin/app ./out/jeprof.5.1.f.heap -o heap.html');
    expect(lines).toContain('  # a flame graph in one HTML file');
    expect(lines[lines.length - 1]).toBe('  jeprof --text /usr/bin/app ./out/jeprof.5.1.f.heap');
  });
});

describe('the series as shell words', () => {
  it('is a glob the shell expands to exactly the interval dumps, the folder quoted when it must be', () => {
    const cwd = tempDir('jeprof-ts-follow-up-');
    for (const dir of ['out', "my dumps [it's]"]) {
      const series = leakHuntDumps(listDumps(folder(cwd, dir, RUN)))!.series!;
      const words = seriesWords(series, cwd);
      expect(words).toBe(dir === 'out' ? './out/jeprof.77.*.i*.heap' : `'./my dumps [it'\\''s]'/jeprof.77.*.i*.heap`);
      expect(shell(cwd, words)).toEqual(series.map((d) => `./${dir}/${d.path.split('/').pop()}`).sort());
    }
    // Dumps in the working folder itself.
    const here = leakHuntDumps(listDumps(folder(cwd, 'flat', RUN)))!.series!;
    expect(seriesWords(here, join(cwd, 'flat'))).toBe('./jeprof.77.*.i*.heap');
  });

  it('lists the paths when the glob would take in another file', () => {
    const cwd = tempDir('jeprof-ts-follow-up-');
    const dir = folder(cwd, 'out', [...RUN, 'jeprof.77.1.i1.old.heap']);
    const series = leakHuntDumps(listDumps(dir))!.series!;
    const words = seriesWords(series, cwd);
    expect(words).toBe('./out/jeprof.77.0.i0.heap ./out/jeprof.77.1.i1.heap ./out/jeprof.77.3.i2.heap');
    expect(shell(cwd, words)).toEqual(['./out/jeprof.77.0.i0.heap', './out/jeprof.77.1.i1.heap', './out/jeprof.77.3.i2.heap']);
    // And when they are not all in one folder (a list, quoted where needed).
    const other = folder(cwd, 'b c', ['jeprof.77.5.i3.heap']);
    expect(seriesWords([...series, ...listDumps(other)], cwd)).toBe("./out/jeprof.77.0.i0.heap ./out/jeprof.77.1.i1.heap ./out/jeprof.77.3.i2.heap './b c/jeprof.77.5.i3.heap'");
  });
});
