// The exact command lines to dig further after a recorded run, ready to paste into a shell.
import { relative } from 'node:path';
import type { DumpFile } from './dumps.js';

/** A word for a POSIX shell: as it is when plain, else in single quotes. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_\/.,:=+@%-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A path to show: relative to the working folder when under it (`./` first), else absolute. */
export function shownPath(path: string, cwd: string): string {
  const r = relative(cwd, path);
  return r === '' || r.startsWith('..') || r.startsWith('/') ? path : `./${r}`;
}

export interface FollowUpInput {
  /** The program as it should be typed. */
  program: string;
  cwd: string;
  dumps: readonly DumpFile[];
  hunt: { base?: DumpFile; profile: DumpFile };
}

/** Lines `  # what it shows` then `  <command>`, jeprof-ts's first, then jeprof's equivalent. */
export function followUpCommands(f: FollowUpInput): string[] {
  const p = (d: DumpFile) => shellWord(shownPath(d.path, f.cwd));
  const prog = shellWord(f.program);
  const final = f.dumps.filter((d) => d.kind === 'f').pop() ?? f.hunt.profile;
  const rows: [string, string][] = [];
  const grew = f.hunt.base ? `--base=${p(f.hunt.base)} ${p(f.hunt.profile)}` : undefined;
  if (grew) rows.push([`jeprof-ts top ${prog} ${grew}`, 'what grew between the first and the last interval dump']);
  rows.push([`jeprof-ts top ${prog} ${p(final)}`, final.kind === 'f' ? 'what was still held at exit' : 'what the last dump held']);
  rows.push([`jeprof-ts top --lines ${prog} ${grew ?? p(final)}`, 'the same per source line']);
  rows.push([`jeprof-ts collapsed ${prog} ${grew ?? p(final)} > heap.folded`, 'folded stacks for flamegraph.pl or speedscope']);
  rows.push([`jeprof-ts doctor ${prog} ${p(final)}`, 'why a frame has no name']);
  rows.push([`jeprof --text ${prog} ${grew ?? p(final)}`, "the same with jemalloc's jeprof"]);
  return rows.flatMap(([c, what]) => [`  # ${what}`, `  ${c}`]);
}
