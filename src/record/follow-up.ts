// The exact command lines to dig further after a recorded run, ready to paste into a shell.
import { readdirSync } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import type { DumpFile, LeakHunt } from './dumps.js';

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
  hunt: LeakHunt;
}

/**
 * The series as the shell should get it: `<folder>/jeprof.<pid>.*.i*.heap` when that glob names
 * exactly these dumps in their folder as it is now, else each path.
 */
export function seriesWords(series: readonly DumpFile[], cwd: string): string {
  const listed = series.map((d) => shellWord(shownPath(d.path, cwd))).join(' ');
  const dir = dirname(series[0].path);
  const pid = series[0].pid;
  if (series.some((d) => dirname(d.path) !== dir || d.pid !== pid)) return listed;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return listed;
  }
  // The shell's `*` matches any run of characters, `/` aside; no name here starts with a dot.
  const glob = new RegExp(`^jeprof\\.${pid}\\..*\\.i.*\\.heap$`);
  const matched = new Set(names.filter((n) => glob.test(n)));
  const exact = matched.size === series.length && series.every((d) => matched.has(basename(d.path)));
  if (!exact) return listed;
  // The folder quoted when it must be, the pattern not: quotes would make its `*` literal.
  return `${shellWord(relative(cwd, dir) === '' ? '.' : shownPath(dir, cwd))}/jeprof.${pid}.*.i*.heap`;
}

/** Lines `  # what it shows` then `  <command>`, jeprof-ts's first, then jeprof's equivalent. */
export function followUpCommands(f: FollowUpInput): string[] {
  const p = (d: DumpFile) => shellWord(shownPath(d.path, f.cwd));
  const prog = shellWord(f.program);
  const final = f.dumps.filter((d) => d.kind === 'f').pop() ?? f.hunt.profile;
  const rows: [string, string][] = [];
  const grew = f.hunt.base ? `--base=${p(f.hunt.base)} ${p(f.hunt.profile)}` : undefined;
  if (f.hunt.series) rows.push([`jeprof-ts trend ${prog} ${seriesWords(f.hunt.series, f.cwd)}`, 'which call sites grew across the whole run']);
  if (grew) rows.push([`jeprof-ts top ${prog} ${grew}`, 'what grew between the first and the last interval dump']);
  rows.push([`jeprof-ts top ${prog} ${p(final)}`, final.kind === 'f' ? 'what was still held at exit' : 'what the last dump held']);
  rows.push([`jeprof-ts top --lines ${prog} ${grew ?? p(final)}`, 'the same per source line']);
  rows.push([`jeprof-ts html ${prog} ${grew ?? p(final)} -o heap.html`, grew ? 'a flame graph, diff and trend in one HTML file' : 'a flame graph in one HTML file']);
  rows.push([`jeprof-ts collapsed ${prog} ${grew ?? p(final)} > heap.folded`, 'folded stacks for flamegraph.pl or speedscope']);
  rows.push([`jeprof-ts doctor ${prog} ${p(final)}`, 'why a frame has no name']);
  rows.push([`jeprof --text ${prog} ${grew ?? p(final)}`, "the same with jemalloc's jeprof"]);
  return rows.flatMap(([c, what]) => [`  # ${what}`, `  ${c}`]);
}
