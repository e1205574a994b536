// The bench's scale rows (issue 22): generated dumps of 250 MB (280,000 stacks) and 1 GB (1,050,000
// stacks, depths up to 128) from the large program's real return addresses (bench/gen-dump.mjs),
// each report checked against the totals the generator knows; peak RSS, throughput, the html
// report of the 250 MB dump, and a 1 GB file cut short. Run by bench/run.mjs, or alone: node bench/scale.mjs [--quick] [--jeprof]
// (--jeprof: one jeprof run on the 250 MB file too, some 3 minutes).
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LARGE = join(ROOT, 'bench', 'out', 'large');
const OUT = join(ROOT, 'bench', 'out', 'scale');
const BIN = join(ROOT, 'bin', 'jeprof-ts.js');
const MiB = (kib) => (kib / 1024).toFixed(0);

/** The dumps: name, stacks, bytes, seed. The generator cuts its JSON's `cut` at 0.6 of the file. */
const DUMPS = [
  { name: '250 MB', file: 's280k.heap', stacks: 280_000, bytes: 250_000_000, seed: 7 },
  { name: '1 GB', file: 's1m.heap', stacks: 1_050_000, bytes: 1_000_000_000, seed: 11 },
];

/**
 * Commands measured on each dump: how a run's output is checked against the generator's totals.
 * `trend` (another branch) joins here: a row whose command this build lacks is skipped, said so.
 */
const COMMANDS = [
  { name: '--text', args: (f) => ['--text', join(LARGE, 'prog'), f], check: (out, want) => firstLine(out) === want.totalLine },
  { name: 'collapsed', args: (f) => ['collapsed', join(LARGE, 'prog'), f], check: async (out, want) => (await sumLastField(out)) === want.inuseSpace },
  { name: 'trend', args: (f) => ['trend', join(LARGE, 'prog'), f], needs: 'trend', check: (out, want) => readFileSync(out, 'utf8').includes(String(want.inuseSpace)) },
  // Not one of issue 22's targets (printed apart), on the 250 MB dump only: its call tree was what
  // grew with the frames (1,054 MiB before 4bbb6ba).
  { name: 'html', args: (f) => ['html', join(LARGE, 'prog'), f], only: '250 MB', notTarget: true, check: (out, want) => readFileSync(out, 'latin1').includes(`"total":${want.inuseSpace},`) },
];

function firstLine(file) {
  const text = readFileSync(file, { encoding: 'latin1' }).slice(0, 200);
  return text.split('\n')[0];
}

/** The sum of each line's last field (collapsed's values), read as a stream: the output can be 2 GB. */
async function sumLastField(file) {
  let sum = 0;
  for await (const line of createInterface({ input: createReadStream(file) })) if (line !== '') sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

/** A run under GNU time writing stdout to `out`: wall s, peak RSS KiB, stderr. */
function timed(cmd, args, out, env) {
  const r = spawnSync('bash', ['-c', `/usr/bin/time -f '@@%e %M' "$@" > ${JSON.stringify(out)}`, 'bash', cmd, ...args], { cwd: LARGE, env: { ...process.env, ...env }, encoding: 'utf8' });
  const [wall, rss] = r.stderr.split('@@').pop().trim().split(' ').map(Number);
  return { status: r.status, wall, rss, stderr: r.stderr.slice(0, r.stderr.lastIndexOf('@@')) };
}

/** Whether --help lists `name` among the commands (an unknown word is taken for a program name). */
const hasCommand = (name) => new RegExp(`^  ${name} `, 'm').test(spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' }).stdout);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Makes the dumps (once; kept in bench/out/scale) and returns them with the generator's totals. */
function makeDumps() {
  mkdirSync(OUT, { recursive: true });
  return DUMPS.map((d) => {
    const file = join(OUT, d.file);
    if (!existsSync(`${file}.json`)) {
      const r = spawnSync(process.execPath, [join(ROOT, 'bench', 'gen-dump.mjs'), join(LARGE, 'final.heap'), file, String(d.stacks), String(d.bytes), '--seed', String(d.seed), '--cut', '0.6'], { stdio: ['ignore', 'ignore', 'inherit'] });
      if (r.status !== 0) throw new Error(`gen-dump failed for ${d.file}`);
    }
    return { ...d, path: file, want: JSON.parse(readFileSync(`${file}.json`, 'utf8')) };
  });
}

/**
 * Reads a file through once, so that a timed run reads it from memory: this VM's memory
 * reclaim (kdamond) drops the pages of a file not read for a while, and a 1 GB parse read from
 * the disk took 42 s instead of 5.
 */
function warmPages(path) {
  const fd = openSync(path, 'r');
  const chunk = Buffer.allocUnsafe(4 << 20);
  try {
    while (readSync(fd, chunk, 0, chunk.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

/** Warnings a run printed, with file names and line numbers taken out, to compare two runs' kinds. */
const warningKinds = (stderr) => stderr.split('\n').filter((l) => /warning|truncated/i.test(l)).map((l) => l.replace(/\S*\.heap(:\d+)?/g, 'FILE').replace(/\d+/g, 'N'));

export async function scaleRows({ quick = false, jeprof = false } = {}) {
  const dumps = makeDumps();
  const runs = quick ? 1 : 3;
  const tmp = mkdtempSync(join(tmpdir(), 'jeprof-ts-scale-'));
  const env = { JEPROF_TS_CACHE: join(tmp, 'symbols') };
  const out = join(tmp, 'out');
  const results = [];
  try {
    // Symbols first (a warm cache): these rows measure the dump's reading and the reports.
    timed(process.execPath, [BIN, '--text', join(LARGE, 'prog'), join(LARGE, 'final.heap')], out, env);
    for (const c of COMMANDS) {
      if (c.needs && !hasCommand(c.needs)) {
        console.log(`scale: ${c.name}: not in this build yet, skipped`);
        continue;
      }
      for (const d of dumps) {
        if (c.only && d.name !== c.only) continue;
        const rs = [];
        let ok = true;
        for (let i = 0; i < runs; i++) {
          warmPages(d.path);
          const r = timed(process.execPath, [BIN, ...c.args(d.path)], out, env);
          ok &&= r.status === 0 && (await c.check(out, d.want));
          rs.push(r);
        }
        const wall = median(rs.map((r) => r.wall));
        const rss = Math.max(...rs.map((r) => r.rss));
        results.push({ command: c.name, dump: d.name, bytes: d.want.bytes, stacks: d.want.stacks, wall, rssKiB: rss, mbPerS: d.want.bytes / 1e6 / wall, totalsMatch: ok, notTarget: c.notTarget });
      }
    }
    // A 1 GB dump cut short inside a stack line, against a small one cut the same way.
    const big = dumps[dumps.length - 1];
    const cutFile = join(tmp, 'cut.heap');
    spawnSync('head', ['-c', String(big.want.cut.bytes), big.path], { stdio: ['ignore', openSync(cutFile, 'w'), 'inherit'] });
    warmPages(cutFile);
    const cut = timed(process.execPath, [BIN, '--text', join(LARGE, 'prog'), cutFile], out, env);
    const cutTotal = firstLine(out);
    // The bench's real dump cut inside a stack line halfway through its samples.
    const small = join(tmp, 'small-cut.heap');
    const smallText = readFileSync(join(LARGE, 'final.heap'), 'latin1');
    writeFileSync(small, smallText.slice(0, Math.floor(smallText.indexOf('MAPPED_LIBRARIES:') / 2)).replace(/\n[^\n]*$/, '\n@ 0x7ffff7ca2630 0x7ff'), 'latin1');
    const smallRun = timed(process.execPath, [BIN, '--text', join(LARGE, 'prog'), small], out, env);
    const sameWarnings = JSON.stringify(warningKinds(cut.stderr)) === JSON.stringify(warningKinds(smallRun.stderr));
    results.push({ command: '--text, 1 GB cut at 60%', dump: '1 GB cut', wall: cut.wall, rssKiB: cut.rss, totalsMatch: cutTotal === big.want.cut.totalLine, sameWarnings, warnings: warningKinds(cut.stderr) });
    if (jeprof) {
      const d = dumps[0];
      const j = timed('jeprof', ['--text', join(LARGE, 'prog'), d.path], out, {});
      results.push({ command: 'jeprof --text', dump: d.name, wall: j.wall, rssKiB: j.rss, totalsMatch: firstLine(out) === d.want.totalLine });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const r of results) {
    console.log(`scale: ${r.command} on ${r.dump}: ${r.wall.toFixed(2)} s, peak RSS ${MiB(r.rssKiB)} MiB${r.mbPerS ? `, ${r.mbPerS.toFixed(0)} MB/s` : ''}; generator's totals: ${r.totalsMatch ? 'yes' : 'NO'}${r.sameWarnings === undefined ? '' : `; same warnings as a small dump cut short: ${r.sameWarnings ? 'yes' : 'NO'} (${r.warnings.join(' | ')})`}`);
  }
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  for (const c of new Set(results.filter((r) => r.mbPerS && !r.notTarget).map((r) => r.command))) {
    const [a, b] = DUMPS.map((d) => results.find((r) => r.command === c && r.dump === d.name));
    console.log(`scale targets, ${c}: peak RSS < 500 MiB: ${MiB(a.rssKiB)} / ${MiB(b.rssKiB)} MiB (${verdict(a.rssKiB < 512000 && b.rssKiB < 512000)}); 1 GB run <= 2x the 250 MB run: ${(b.rssKiB / a.rssKiB).toFixed(2)}x (${verdict(b.rssKiB <= 2 * a.rssKiB)}); >= 150 MB/s: ${a.mbPerS.toFixed(0)} / ${b.mbPerS.toFixed(0)} MB/s (${verdict(a.mbPerS >= 150 && b.mbPerS >= 150)})`);
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(join(LARGE, 'done'))) throw new Error('bench/out/large is missing: run bash bench/make-inputs.sh first');
  const results = await scaleRows({ quick: process.argv.includes('--quick'), jeprof: process.argv.includes('--jeprof') });
  if (results.some((r) => !r.totalsMatch || r.sameWarnings === false)) process.exitCode = 1;
}
