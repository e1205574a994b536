// npm run bench: jeprof-ts against /usr/bin/jeprof on the same inputs in the same run. Prints
// median wall time, peak memory and the ratio jeprof / jeprof-ts, cold (empty symbol cache) and
// warm (cache filled by an earlier run), plus parse+aggregation throughput of heap text.
//   node bench/run.mjs [--quick]      (--quick: fewer repetitions)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
const quick = process.argv.includes('--quick');
const TS = ['node', join(ROOT, 'bin', 'jeprof-ts.js')];

function need(cmd, pkg) {
  if (spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0) throw new Error(`${cmd} is missing: apt-get install ${pkg}`);
}
need('jeprof', 'libjemalloc-dev');
need('/usr/bin/time', 'time');
const made = spawnSync('bash', [join(ROOT, 'bench', 'make-inputs.sh')], { stdio: 'inherit' });
if (made.status !== 0) process.exit(1);

/** Runs a command under GNU time: wall seconds, peak RSS in KiB (largest process of the tree), stdout. */
function timed(cmd, args, cwd, env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { cwd, env: { ...process.env, ...env }, maxBuffer: 1 << 30, encoding: 'utf8' });
  const last = r.stderr.trim().split('\n').pop();
  const [wall, rss] = last.split(' ').map(Number);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  return { wall, rss, stdout: r.stdout };
}

/**
 * A report's rows without the running-sum column, sorted: jeprof orders rows whose values tie
 * only in the last bit by Perl's hash order, which changes from run to run.
 */
const rows = (text) => text.split('\n').map((l) => l.replace(/^(\s*\S+\s+\S+)\s+\S+%/, '$1')).sort().join('\n');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const series = join(OUT, 'series');
const nI = readdirSync(series).filter((f) => /^i\d+\.heap$/.test(f)).length;
const cases = [
  { name: 'small (seed-leak, 6 stacks)', cwd: '/opt/jeprof-corpus/seed-leak', args: ['--text', '/opt/jeprof-corpus/seed-leak/app', 'jeprof.7069.8.f.heap'], runs: quick ? 3 : 5, heap: '/opt/jeprof-corpus/seed-leak/jeprof.7069.8.f.heap' },
  { name: 'large (24k stacks, 3.6 MB binary)', cwd: join(OUT, 'large'), args: ['--text', join(OUT, 'large', 'prog'), 'final.heap'], runs: quick ? 1 : 3, heap: join(OUT, 'large', 'final.heap') },
  { name: `leak hunt (--base i0 i${Math.min(19, nI - 1)})`, cwd: series, args: ['--text', `--base=i0.heap`, join(series, 'prog'), `i${Math.min(19, nI - 1)}.heap`], runs: quick ? 3 : 5, heap: join(series, `i${Math.min(19, nI - 1)}.heap`) },
];

const results = [];
for (const c of cases) {
  process.stderr.write(`bench: ${c.name} ...\n`);
  const jeprof = [];
  const cold = [];
  const warm = [];
  let exact = true;
  let same = true;
  let want;
  for (let i = 0; i < c.runs; i++) {
    const j = timed('jeprof', c.args, c.cwd);
    want ??= j.stdout;
    jeprof.push(j);
    const cache = mkdtempSync(join(tmpdir(), 'jeprof-ts-bench-'));
    const t1 = timed(TS[0], [TS[1], ...c.args], c.cwd, { JEPROF_TS_CACHE: cache });
    const t2 = timed(TS[0], [TS[1], ...c.args], c.cwd, { JEPROF_TS_CACHE: cache });
    rmSync(cache, { recursive: true, force: true });
    cold.push(t1);
    warm.push(t2);
    exact &&= t1.stdout === want && t2.stdout === want;
    same &&= rows(t1.stdout) === rows(want) && rows(t2.stdout) === rows(want);
  }
  const m = (xs, k) => median(xs.map((x) => x[k]));
  results.push({
    name: c.name,
    heapBytes: statSync(c.heap).size,
    jeprof: { wall: m(jeprof, 'wall'), rssKiB: m(jeprof, 'rss') },
    cold: { wall: m(cold, 'wall'), rssKiB: m(cold, 'rss') },
    warm: { wall: m(warm, 'wall'), rssKiB: m(warm, 'rss') },
    identicalOutput: exact,
    sameRows: same,
    runs: c.runs,
  });
}

// Parse + aggregation of heap text, in-process (no symbolization: addresses stay unnamed).
const { parseProfileFd } = await import(join(ROOT, 'dist/parse/index.js'));
const { LocationTable } = await import(join(ROOT, 'dist/model/locations.js'));
const { stacksOf } = await import(join(ROOT, 'dist/graph/stacks.js'));
const { analyze } = await import(join(ROOT, 'dist/graph/analyze.js'));
const big = join(OUT, 'large', 'final.heap');
const times = [];
for (let i = 0; i < (quick ? 3 : 7); i++) {
  const t0 = performance.now();
  const fd = openSync(big, 'r');
  const f = parseProfileFd(fd, big, new LocationTable());
  closeSync(fd);
  analyze(stacksOf(f.profile, 3), { granularity: 'functions', renames: new Map(), runIds: new Map() });
  times.push(performance.now() - t0);
}
const parseMBs = statSync(big).size / 1e6 / (median(times) / 1000);

const table = new Table({ head: ['input', 'jeprof', 'jeprof-ts cold', 'ratio', 'jeprof-ts warm', 'ratio', 'peak RSS jeprof / ts', 'same output'] });
for (const r of results) {
  table.push([
    r.name,
    `${r.jeprof.wall.toFixed(2)} s`,
    `${r.cold.wall.toFixed(2)} s`,
    `${(r.jeprof.wall / r.cold.wall).toFixed(1)}x`,
    `${r.warm.wall.toFixed(2)} s`,
    `${(r.jeprof.wall / r.warm.wall).toFixed(1)}x`,
    `${(r.jeprof.rssKiB / 1024).toFixed(0)} / ${(Math.max(r.cold.rssKiB, r.warm.rssKiB) / 1024).toFixed(0)} MiB`,
    r.identicalOutput ? 'yes' : r.sameRows ? 'ties ordered differently' : 'NO',
  ]);
}
console.log(table.toString());
console.log(`parse + aggregation of ${(statSync(big).size / 1e6).toFixed(1)} MB of heap text: ${median(times).toFixed(0)} ms, ${parseMBs.toFixed(0)} MB/s`);
console.log(`medians of ${results.map((r) => r.runs).join('/')} runs; cold = empty symbol cache, warm = second run on the same cache`);
writeFileSync(join(OUT, 'results.json'), JSON.stringify({ date: new Date().toISOString(), results, parseMBs }, null, 2));
if (results.some((r) => !r.sameRows)) {
  console.log('bench: jeprof-ts printed something different from jeprof on some input');
  process.exitCode = 1;
}
