// Runs the real `go tool pprof` (Debian's golang-go) and reads its -top table, for the tests that
// check what pprof users see in our exports.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePprof } from './pprof-message.js';
import { shortFunctionName } from '../../src/symbolize/short-name.js';
import { needTool } from './need.js';
import { tempDir } from './temp-dir.js';

/** Fails loudly, naming the package, when Go is missing. */
export function needGo(): void {
  needTool('go', 'golang-go');
}

/** Go's caches and module settings in a temp folder: no network (GOPROXY=off), nothing left in $HOME. */
export function goEnv(): NodeJS.ProcessEnv {
  const dir = tempDir('jeprof-ts-go-');
  return { ...process.env, GOCACHE: join(dir, 'cache'), GOPATH: join(dir, 'gopath'), GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local', PPROF_TMPDIR: dir, HOME: dir };
}

export function goPprof(args: string[], env: NodeJS.ProcessEnv = goEnv()): { stdout: string; stderr: string; code: number } {
  const r = spawnSync('go', ['tool', 'pprof', ...args], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

export interface FlatTable {
  total: number;
  /** Flat value per function, names shortened as jeprof does (pprof keeps argument lists). */
  flat: Map<string, number>;
}

/**
 * `go tool pprof -top -unit=B` output (every node: -nodefraction=0 -nodecount=<big>), names
 * shortened by `shorten`: jeprof's rule for C++ names, foreignShortName for a Go profile's (whose
 * `runtime.(*scavengerState).init` jeprof's rule would make `runtime..init`).
 */
export function parsePprofTop(text: string, shorten: (name: string) => string = shortFunctionName): FlatTable {
  const total = /of (-?[\d.]+)B total/.exec(text);
  if (!total) throw new Error(`no total in pprof's output:\n${text.slice(0, 500)}`);
  const flat = new Map<string, number>();
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\s+flat\s+flat%/.test(l));
  if (header < 0) throw new Error(`no table in pprof's output:\n${text.slice(0, 500)}`);
  for (const line of lines.slice(header + 1).filter((l) => l !== '')) {
    // Shares print as %g: a tiny one reads 8.9e-13%.
    const pct = String.raw`-?[\d.]+(?:e[-+]?\d+)?%`;
    const m = new RegExp(String.raw`^\s*(-?[\d.]+)B?\s+${pct}\s+${pct}\s+-?[\d.]+B?\s+${pct}\s+(.+)$`).exec(line);
    // Every row must be read: one left out would hide its value from the comparison.
    if (!m) throw new Error(`cannot read this row of pprof's -top: ${line}`);
    // pprof marks an inlined function `name (inline)`; jeprof-ts folds that into the name (parseJeprofText).
    const name = shorten(m[2].trim().replace(/ \(inline\)$/, ''));
    flat.set(name, (flat.get(name) ?? 0) + Number(m[1]));
  }
  return { total: Number(total[1]), flat };
}

/** jeprof's `--text --show_bytes` table; ` (inline)` and `@<address>` disambiguation folded into the name. */
export function parseJeprofText(text: string): FlatTable {
  const total = /^Total(?: \(t\d+\))?: (-?\d+) B$/m.exec(text);
  if (!total) throw new Error(`no Total line in jeprof's output:\n${text.slice(0, 500)}`);
  const flat = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^\s*(-?\d+)\s+-?[\d.]+%\s+-?[\d.]+%\s+-?\d+\s+-?[\d.]+%\s+(.+)$/.exec(line);
    if (!m) continue;
    const name = m[2].replace(/ \(inline\)$/, '').replace(/@[0-9a-f]+$/, '');
    flat.set(name, (flat.get(name) ?? 0) + Number(m[1]));
  }
  return { total: Number(total[1]), flat };
}

/**
 * How far pprof's numbers may be from jeprof's for a profile we exported: each sample's value is
 * rounded once to an integer (half a byte at most) and jeprof prints a row's double truncated (less
 * than one). So a function may be off by half its number of leaf samples plus one, the total by
 * half of all samples plus one.
 */
export function roundingSlack(pbFile: string): { total: number; perFunction: (name: string) => number } {
  const p = decodePprof(readFileSync(pbFile), pbFile);
  // Keyed by number: samples and lines name them by 32-bit numbers, the messages' own ids are bigints.
  const locs = new Map(p.location.map((l) => [Number(l.id), l]));
  const funcs = new Map(p.function.map((f) => [Number(f.id), f]));
  const leaves = new Map<string, number>();
  for (const s of p.sample) {
    const line = locs.get(s.locationId[0])?.line[0];
    const f = line && funcs.get(line.functionId);
    if (!f) continue;
    const name = shortFunctionName(p.stringTable[Number(f.jeprofFullName || f.name)]);
    leaves.set(name, (leaves.get(name) ?? 0) + 1);
  }
  return { total: p.sample.length / 2 + 1, perFunction: (name) => (leaves.get(name) ?? 0) / 2 + 1 };
}

/** Differences beyond the rounding slack between two tables' totals and flat values; empty when they agree. */
export function flatDifferences(a: FlatTable, b: FlatTable, slack: ReturnType<typeof roundingSlack>): string[] {
  const out: string[] = [];
  if (Math.abs(a.total - b.total) > slack.total) out.push(`total ${a.total} vs ${b.total}`);
  for (const name of new Set([...a.flat.keys(), ...b.flat.keys()])) {
    const x = a.flat.get(name) ?? 0;
    const y = b.flat.get(name) ?? 0;
    if (Math.abs(x - y) > slack.perFunction(name)) out.push(`${name}: ${x} vs ${y}`);
  }
  return out;
}
