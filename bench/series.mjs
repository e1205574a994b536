// The series row of `npm run bench` (issue 18): `trend` over the 50+ interval dumps of a real
// program (Debian's redis-server under redis-benchmark, bench/make-inputs.sh), cold and warm,
// against jeprof run once per dump (its only way to see a series) and against one jeprof-ts
// `--text` run on the sum of the same dumps, in the same run. Checks on the way that every value
// trend reports is the one jeprof printed for that dump.
//   node bench/series.mjs [--quick]   (also run by bench/run.mjs)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIR = join(ROOT, 'bench', 'out', 'redis');
const PROGRAM = '/usr/bin/redis-server';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Wall seconds of a command, and its stdout; throws on failure. */
function run(cmd, args, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: DIR, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-400)}`);
  return { wall, stdout: r.stdout };
}

/** `name -> [flat, cum]` of a `jeprof --text --show_bytes` report. */
function jeprofRows(text) {
  const rows = new Map();
  for (const m of text.matchAll(/^ *(-?\d+) +\S+% +\S+% +(-?\d+) +\S+% (.*)$/gm)) rows.set(m[3], [Number(m[1]), Number(m[2])]);
  return rows;
}

/** The dumps in sequence order, as jemalloc wrote them. */
function dumps() {
  const seq = (f) => Number(f.split('.')[2]);
  return readdirSync(DIR).filter((f) => /^jeprof\.\d+\.\d+\.i\d+\.heap$/.test(f)).sort((a, b) => seq(a) - seq(b));
}

export function seriesRow(quick) {
  const files = dumps();
  const ts = (args, cache) => run('node', [join(ROOT, 'bin', 'jeprof-ts.js'), ...args], { JEPROF_TS_CACHE: cache });
  // jeprof once per dump: the loop a user runs today to see a series.
  const loop = { wall: 0, outputs: [] };
  for (const f of files) {
    const r = run('jeprof', ['--text', '--show_bytes', PROGRAM, f]);
    loop.wall += r.wall;
    loop.outputs.push(r.stdout);
  }
  // Every value trend gives (allocator untrimmed: jeprof's rows) is what jeprof printed for that dump.
  const check = mkdtempSync(join(tmpdir(), 'jeprof-ts-bench-'));
  const doc = JSON.parse(ts(['trend', '--json', '--no-trim-allocator', PROGRAM, ...files], check).stdout);
  rmSync(check, { recursive: true, force: true });
  let mismatches = 0;
  files.forEach((f, i) => {
    const theirs = jeprofRows(loop.outputs[i]);
    const ours = new Map(doc.rows.map((r) => [r.name, Math.trunc(r.values[i])]));
    for (const [name, [flat]] of theirs) if ((ours.get(name) ?? 0) !== flat) mismatches++;
  });
  // trend and one --text on the sum, cold (empty cache) and warm, alternating so load hits both.
  const t = { trendCold: [], trendWarm: [], sumCold: [], sumWarm: [] };
  for (let i = 0; i < (quick ? 3 : 7); i++) {
    const a = mkdtempSync(join(tmpdir(), 'jeprof-ts-bench-'));
    const b = mkdtempSync(join(tmpdir(), 'jeprof-ts-bench-'));
    t.trendCold.push(ts(['trend', PROGRAM, ...files], a).wall);
    t.sumCold.push(ts(['--text', PROGRAM, ...files], b).wall);
    t.trendWarm.push(ts(['trend', PROGRAM, ...files], a).wall);
    t.sumWarm.push(ts(['--text', PROGRAM, ...files], b).wall);
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
  const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
  const r = { dumps: files.length, jeprofLoopWall: loop.wall, ...m, valueMismatches: mismatches, rows: doc.rows.length, runs: t.trendCold.length };
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  console.log(`series: trend over ${r.dumps} interval dumps of ${PROGRAM} (${r.rows} rows), medians of ${r.runs}:`);
  console.log(`  jeprof once per dump: ${r.jeprofLoopWall.toFixed(1)} s; trend cold ${r.trendCold.toFixed(2)} s (${(r.jeprofLoopWall / r.trendCold).toFixed(0)}x), warm ${r.trendWarm.toFixed(2)} s (${(r.jeprofLoopWall / r.trendWarm).toFixed(0)}x): >= 50x ${verdict(r.jeprofLoopWall / r.trendCold >= 50)} cold, ${verdict(r.jeprofLoopWall / r.trendWarm >= 50)} warm`);
  console.log(`  one --text on the sum: cold ${r.sumCold.toFixed(2)} s, warm ${r.sumWarm.toFixed(2)} s; trend / --text ${(r.trendCold / r.sumCold).toFixed(2)}x cold, ${(r.trendWarm / r.sumWarm).toFixed(2)}x warm: <= 1.5x ${verdict(r.trendCold <= 1.5 * r.sumCold)} cold, ${verdict(r.trendWarm <= 1.5 * r.sumWarm)} warm`);
  console.log(`  values equal to jeprof's per dump: ${mismatches === 0 ? 'yes' : `NO (${mismatches} differ)`}`);
  return r;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const made = spawnSync('bash', [join(ROOT, 'bench', 'make-inputs.sh')], { stdio: 'inherit' });
  if (made.status !== 0) process.exit(1);
  const r = seriesRow(process.argv.includes('--quick'));
  if (r.valueMismatches > 0) process.exitCode = 1;
}
