// `trend` as people and scripts meet it on a real leaking series (seed-leak i0..i7): the allocator
// trimmed by default, the piped form grep and cut can use, the table at a terminal with colour
// rules, and the series' own problems: order, mixed processes, gaps, one dump, no program.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { installCase, OPT_ROOT } from '../helpers/corpus.js';
import { seriesRef } from '../helpers/jeprof-text.js';
import { assertSchema } from '../helpers/schemas.js';
import { tempDir } from '../helpers/temp-dir.js';

const SEED = `${OPT_ROOT}/seed-leak`;
const DUMPS = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `jeprof.7069.${i}.i${i}.heap`);
const ESC = '\u001b[';

beforeAll(() => {
  installCase('seed-leak');
  installCase('threads');
});

async function trend(args: string[], opts: { tty?: boolean; env?: NodeJS.ProcessEnv; cwd?: string; columns?: number } = {}) {
  return runCli(['trend', ...args], { cwd: SEED, ...opts });
}

describe('trend, piped', () => {
  it('one tab-separated row per line under a # header, sizes in bytes, Total first, no colour or box drawing', async () => {
    const r = await trend(['app', ...DUMPS], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(ESC);
    expect(r.stdout).not.toMatch(/[┌│└─]/);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`# name\tfirst\tlast\tgrowth\tper_dump\tsteady\t${DUMPS.join('\t')}`);
    for (const l of lines.slice(1)) expect(l.split('\t')).toHaveLength(6 + DUMPS.length);
    const total = lines[1].split('\t');
    expect(total.slice(0, 4)).toEqual(['Total', '237616', '1835048', '1597432']);
  });

  it('trims the allocator: no malloc_usable_size; the map leak leads, steady; rows add up to the Total', async () => {
    const r = await trend(['--json', 'app', ...DUMPS]);
    const doc = JSON.parse(r.stdout);
    assertSchema('trend-1', doc);
    const names = doc.rows.map((x: { name: string }) => x.name);
    expect(names).not.toContain('malloc_usable_size');
    expect(names[0]).toBe('std::_Rb_tree::_M_emplace_hint_unique');
    expect(doc.rows[0].steady).toBe(1);
    expect(doc.rows[0].growth).toBe(1277952 - 98304);
    doc.profiles.forEach((_: unknown, i: number) => {
      const sum = doc.rows.reduce((s: number, x: { values: number[] }) => s + x.values[i], 0);
      expect(sum).toBeCloseTo(doc.total.values[i], 3);
    });
    // --no-trim-allocator: jeprof's own leaf.
    const raw = JSON.parse((await trend(['--json', '--no-trim-allocator', 'app', ...DUMPS])).stdout);
    expect(raw.rows[0].name).toBe('malloc_usable_size');
  });

  it('`| grep` finds a function line, `| cut` its growth', async () => {
    const r = await trend(['app', ...DUMPS]);
    const line = r.stdout.split('\n').filter((l) => /^leak_some\t/.test(l));
    expect(line).toHaveLength(1);
    expect(line[0].split('\t')[3]).toBe(String(212984 - 16384));
  });

  it('the program may be left out: the first dump names it, said once on stderr', async () => {
    const r = await trend([...DUMPS]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`jeprof-ts: program ${SEED}/app (the first dump's map names it; give the program first to use another)\n`);
    expect(r.stdout).toBe((await trend(['app', ...DUMPS])).stdout);
  });

  it('--cum, --lines, --focus and -o work as in top; -o writes the file whole', async () => {
    const cum = JSON.parse((await trend(['--json', '--cum', 'app', ...DUMPS])).stdout);
    expect(cum.cum).toBe(true);
    // Trimming leaves callers' cum alone: main's is jeprof's.
    const jeprofMain = seriesRef('seed-leak-bytes-jeprof.7069.7.i7.heap')[0].rows.find((x) => x.name === 'main')!;
    expect(Math.trunc(cum.rows.find((x: { name: string }) => x.name === 'main').last)).toBe(jeprofMain.cum);
    const lines = JSON.parse((await trend(['--json', '--lines', 'app', ...DUMPS])).stdout);
    expect(lines.rows[0].name).toMatch(/^std::_Rb_tree::_M_emplace_hint_unique \S+:\d+$/);
    const focus = JSON.parse((await trend(['--json', '--focus=add_to_vector', 'app', ...DUMPS])).stdout);
    expect(focus.rows.map((x: { name: string }) => x.name)).toEqual(['std::vector::_M_realloc_insert']);
    const out = join(tempDir('jeprof-ts-trend-o-'), 'trend.tsv');
    const r = await trend(['-o', out, 'app', ...DUMPS]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe((await trend(['app', ...DUMPS])).stdout);
  });
});

describe('trend at a terminal', () => {
  it('a table: human sizes, sparklines, steady growers red, Total first and bold', async () => {
    const r = await trend(['app', ...DUMPS], { tty: true, env: { NO_COLOR: '', FORCE_COLOR: '1' }, columns: 120 });
    expect(r.code, r.stderr).toBe(0);
    const plain = r.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/│\s+│ Total\s+│\s+232 KiB │\s+1\.8 MiB │\s+\+1\.5 MiB │/);
    expect(plain).toContain('▁▂▃▄▅▆▇█');
    expect(plain).toMatch(/│ 1 │ std::_Rb_tree::_M_emplace_hint_unique\s+│/);
    // The leak's row is red (31), the unchanging registry row is not coloured.
    const leakLine = r.stdout.split('\n').find((l) => l.includes('_M_emplace_hint_unique'))!;
    expect(leakLine).toContain(`${ESC}31m`);
    const flatLine = r.stdout.split('\n').find((l) => l.includes('registry'))!;
    expect(flatLine).not.toContain(`${ESC}31m`);
    expect(flatLine).not.toContain(`${ESC}32m`);
  });

  it('a shrinking row is green (threads, up to its final dump: the vector that was freed)', async () => {
    const dumps = [...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => `jeprof.30138.${i}.i${i}.heap`), 'jeprof.30138.9.m0.heap', 'jeprof.30138.10.f.heap'];
    const r = await trend(['--limit=50', 'app', ...dumps], { tty: true, cwd: `${OPT_ROOT}/threads`, env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes('std::vector::_M_realloc_insert'))!;
    expect(line.replace(/\u001b\[[0-9;]*m/g, '')).toMatch(/-320 KiB/);
    expect(line).toContain(`${ESC}32m`);
  });

  it('fits the terminal: at 80 columns per dump and first give way, names are cut with …', async () => {
    for (const columns of [80, 100, 160]) {
      const r = await trend(['app', ...DUMPS], { tty: true, columns });
      const lines = r.stdout.trimEnd().split('\n');
      for (const l of lines) expect([...l].length, `${columns}: ${l}`).toBeLessThanOrEqual(columns);
      expect(lines[1].includes('per dump'), String(columns)).toBe(columns >= 100);
    }
    const narrow = await trend(['app', ...DUMPS], { tty: true, columns: 80 });
    expect(narrow.stdout).toMatch(/│ 1 │ std::_Rb_tree::_M_emplace_hin… │/);
  });

  it('NO_COLOR and --no-color turn colour off; the table stays', async () => {
    for (const [args, env] of [[[], { NO_COLOR: '1', FORCE_COLOR: '' }], [['--no-color'], { NO_COLOR: '', FORCE_COLOR: '1' }]] as const) {
      const r = await trend([...args, 'app', ...DUMPS], { tty: true, env });
      expect(r.stdout).not.toContain(ESC);
      expect(r.stdout).toContain('┌');
    }
  });

  it('--limit cuts the table and says how many rows are left', async () => {
    const r = await trend(['--limit=2', 'app', ...DUMPS], { tty: true });
    expect(r.stdout).toMatch(/│ 2 │/);
    expect(r.stdout).not.toMatch(/│ 3 │/);
    expect(r.stdout).toMatch(/\n\d+ more rows \(--limit, or pipe for all of them\)\n$/);
  });
});

describe('the series', () => {
  it('orders by sequence number, not by the shell: seq 10 after 9 after 8', async () => {
    const shell = ['jeprof.30138.0.i0.heap', 'jeprof.30138.1.i1.heap', 'jeprof.30138.10.f.heap', 'jeprof.30138.2.i2.heap', 'jeprof.30138.8.i8.heap', 'jeprof.30138.9.m0.heap'];
    const r = await runCli(['trend', '--json', 'app', ...shell], { cwd: `${OPT_ROOT}/threads` });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).profiles.map((p: { seq: number }) => p.seq)).toEqual([0, 1, 2, 8, 9, 10]);
  });

  it('dumps of different processes: refused with one line naming the pids (exit 2), taken with --allow-mixed', async () => {
    const dir = tempDir('jeprof-ts-mixed-');
    copyFileSync(`${SEED}/jeprof.7069.0.i0.heap`, join(dir, 'jeprof.7069.0.i0.heap'));
    copyFileSync(`${SEED}/jeprof.7069.1.i1.heap`, join(dir, 'jeprof.7069.1.i1.heap'));
    copyFileSync(`${OPT_ROOT}/threads/jeprof.30138.1.i1.heap`, join(dir, 'jeprof.30138.1.i1.heap'));
    const files = ['jeprof.7069.0.i0.heap', 'jeprof.7069.1.i1.heap', 'jeprof.30138.1.i1.heap'];
    const r = await runCli(['trend', `${SEED}/app`, ...files], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('jeprof-ts: these dumps come from 2 processes (pids 7069, 30138): a trend is of one process; give one pid\'s dumps, or --allow-mixed\n');
    const mixed = await runCli(['trend', '--json', '--allow-mixed', `${SEED}/app`, ...files], { cwd: dir });
    expect(mixed.code, mixed.stderr).toBe(0);
    expect(JSON.parse(mixed.stdout).profiles.map((p: { pid: number }) => p.pid)).toEqual([7069, 7069, 30138]);
  });

  it('a gap in the sequence numbers is a warning naming the missing ones', async () => {
    const r = await trend(['app', DUMPS[0], DUMPS[1], DUMPS[4], DUMPS[7]]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('jeprof-ts: warning: dumps of pid 7069 are missing sequence numbers 2, 3, 5, 6: the trend skips them\n');
    expect(r.stdout.split('\n')[0].split('\t').slice(6)).toEqual([DUMPS[0], DUMPS[1], DUMPS[4], DUMPS[7]]);
  });

  it('one dump: its values, and a note that a trend needs two', async () => {
    const r = await trend(['--json', 'app', DUMPS[3]]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('jeprof-ts: note: one dump: its values, but a trend needs two or more\n');
    const doc = JSON.parse(r.stdout);
    expect(doc.total.values).toHaveLength(1);
    expect(doc.rows.every((x: { growth: number; steady: number }) => x.growth === 0 && x.steady === 1)).toBe(true);
  });

  it('a dump whose program is not on this machine: one line saying so and what to do (exit 1)', async () => {
    const dir = tempDir('jeprof-ts-noprog-');
    const text = readFileSync(`${SEED}/${DUMPS[0]}`, 'latin1').split(`${SEED}/app`).join('/srv/build/app');
    writeFileSync(join(dir, DUMPS[0]), text, 'latin1');
    const r = await runCli(['trend', DUMPS[0]], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`jeprof-ts: ${DUMPS[0]} was taken from /srv/build/app, which is not on this machine: give the program first, or --map-path=/srv/build=<its folder here> (see 'jeprof-ts trend --help')\n`);
  });

  it('a missing dump: one line naming it (not the gap it leaves), exit 1, nothing on stdout', async () => {
    const r = await trend(['app', DUMPS[0], 'jeprof.7069.99.i99.heap']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("jeprof-ts: profile 'jeprof.7069.99.i99.heap' not found (see 'jeprof-ts trend --help')\n");
  });
});
