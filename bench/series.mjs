// The series row of `npm run bench` (issue 18): `trend` over the 50+ interval dumps of a real
// program (Debian's redis-server under redis-benchmark, bench/make-inputs.sh), cold and warm,
// against jeprof run once per dump (its only way to see a series) and against one jeprof-ts
// `--text` run on the sum of the same dumps, in the same run. Checks on the way that every value
// trend reports is the one jeprof printed for that dump.
// longSeriesRow is issue 22's series target: `trend` over 200 interval dumps of one process
// (bench/out/redis-long) against a `--text` run on the last dump alone plus reading the other files.
//   node bench/series.mjs [--quick] [--long]   (also run by bench/run.mjs; --long: that row alone)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNow, loadSpan, phasesOf } from './measure.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIR = join(ROOT, 'bench', 'out', 'redis');
const PROGRAM = '/usr/bin/redis-server';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Wall seconds of a command, and its stdout; throws on failure. */
function run(cmd, args, env = {}, cwd = DIR) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 30 });
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
function dumps(dir = DIR) {
  const seq = (f) => Number(f.split('.')[2]);
  return readdirSync(dir).filter((f) => /^jeprof\.\d+\.\d+\.i\d+\.heap$/.test(f)).sort((a, b) => seq(a) - seq(b));
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

/**
 * Issue 22's series target: `trend` over the first 200 interval dumps of one redis-server process
 * (bench/out/redis-long, a dump every 256 KiB) at most 2x its floor, a `--text` run on the 200th
 * dump alone plus reading the other 199 files (here, in this process, from the page cache), cold
 * (empty symbol cache) and warm, the four alternating so the load weighs on them alike.
 */
export function longSeriesRow(quick) {
  const dir = join(ROOT, 'bench', 'out', 'redis-long');
  const files = dumps(dir).slice(0, 200);
  if (files.length < 200) throw new Error(`${dir} has ${files.length} dumps, not 200: rm ${dir}/done and run bench/make-inputs.sh`);
  const last = files[files.length - 1];
  const others = files.slice(0, -1);
  const ts = (args, cache) => run('node', [join(ROOT, 'bin', 'jeprof-ts.js'), ...args], { JEPROF_TS_CACHE: cache }, dir).wall;
  const readOthers = () => {
    const t0 = process.hrtime.bigint();
    let bytes = 0;
    for (const f of others) bytes += readFileSync(join(dir, f)).length;
    return { wall: Number(process.hrtime.bigint() - t0) / 1e9, bytes };
  };
  const from = loadNow();
  const t = { trendCold: [], textCold: [], trendWarm: [], textWarm: [], read: [] };
  let bytes = 0;
  for (let i = 0; i < (quick ? 3 : 7); i++) {
    const a = mkdtempSync(join(tmpdir(), 'jeprof-ts-bench-'));
    const b = mkdtempSync(join(tmpdir(), 'jeprof-ts-bench-'));
    t.trendCold.push(ts(['trend', PROGRAM, ...files], a));
    t.textCold.push(ts(['--text', PROGRAM, last], b));
    const read = readOthers();
    t.read.push(read.wall);
    bytes = read.bytes;
    t.trendWarm.push(ts(['trend', PROGRAM, ...files], a));
    t.textWarm.push(ts(['--text', PROGRAM, last], b));
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
  const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
  // Where trend's time goes: one more cold run and one more warm one, phase by phase.
  const cache = mkdtempSync(join(tmpdir(), 'jeprof-ts-bench-'));
  const trendArgs = [join(ROOT, 'bin', 'jeprof-ts.js'), 'trend', PROGRAM, ...files];
  const phases = { cold: phasesOf('node', trendArgs, dir, { JEPROF_TS_CACHE: cache }), warm: phasesOf('node', trendArgs, dir, { JEPROF_TS_CACHE: cache }) };
  rmSync(cache, { recursive: true, force: true });
  const floorCold = m.textCold + m.read;
  const floorWarm = m.textWarm + m.read;
  const load = loadSpan(from);
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  const r = { dumps: files.length, otherBytes: bytes, ...m, floorCold, floorWarm, phases, runs: t.trendCold.length, load };
  const s = (x) => `${x.toFixed(2)} s`;
  console.log(`long series (issue 22, 6): trend over ${files.length} interval dumps of one ${PROGRAM} (${dir}), medians of ${r.runs}, ${load}:`);
  console.log(`  floor: --text on ${last} alone, cold ${s(m.textCold)} / warm ${s(m.textWarm)}, plus reading the other ${others.length} files (${(bytes / 1e6).toFixed(1)} MB) ${(m.read * 1000).toFixed(1)} ms = ${s(floorCold)} / ${s(floorWarm)}`);
  console.log(`  trend cold ${s(m.trendCold)} (${(m.trendCold / floorCold).toFixed(2)}x the floor), warm ${s(m.trendWarm)} (${(m.trendWarm / floorWarm).toFixed(2)}x): <= 2x ${verdict(m.trendCold <= 2 * floorCold)} cold, ${verdict(m.trendWarm <= 2 * floorWarm)} warm`);
  console.log(`  where trend goes (one run): cold ${phases.cold}; warm ${phases.warm}`);
  r.target = `6. trend over ${files.length} interval dumps <= 2x (--text on the last dump + reading the other ${others.length}): cold ${s(m.trendCold)} against ${s(floorCold)}, ${(m.trendCold / floorCold).toFixed(2)}x: ${verdict(m.trendCold <= 2 * floorCold)}; warm ${s(m.trendWarm)} against ${s(floorWarm)}, ${(m.trendWarm / floorWarm).toFixed(2)}x: ${verdict(m.trendWarm <= 2 * floorWarm)} (${load})`;
  return r;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const made = spawnSync('bash', [join(ROOT, 'bench', 'make-inputs.sh')], { stdio: 'inherit' });
  if (made.status !== 0) process.exit(1);
  if (process.argv.includes('--long')) {
    longSeriesRow(process.argv.includes('--quick'));
    process.exit(0);
  }
  const r = seriesRow(process.argv.includes('--quick'));
  if (r.valueMismatches > 0) process.exitCode = 1;
}
