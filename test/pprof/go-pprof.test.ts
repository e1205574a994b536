// What pprof users see: `go tool pprof` (the real one, Debian's golang-go) reads our exports of the
// corpus with no warning, shows jeprof's total and flat values per function (up to the rounding of
// each stack to an integer), and lists our mappings with their GNU build ids.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readElfInfo } from '../../src/symbolize/elf.js';
import { runCli } from '../helpers/capture.js';
import { caseNames, installCase, references } from '../helpers/corpus.js';
import { flatDifferences, goEnv, goPprof, needGo, parseJeprofText, parsePprofTop, roundingSlack } from '../helpers/go-pprof.js';
import { tempDir } from '../helpers/temp-dir.js';

const TOP = ['-top', '-unit=B', '-nodefraction=0', '-edgefraction=0', '-nodecount=1000000', '-sample_index=inuse_space'];

describe.concurrent('go tool pprof reads our exports of the corpus', () => {
  let out = '';
  beforeAll(() => {
    needGo();
    out = tempDir('jeprof-ts-gopprof-');
    for (const c of caseNames()) installCase(c);
  });
  // The real jeprof's --text --show_bytes outputs (the corpus goldens) are the reference: one row
  // per function, as -top has. huge-counts is left out: its 2^64 - 1 bytes are past int64, which
  // pprof's values are (the export clamps them; the exact double is in jeprof-ts's own field).
  const refs = caseNames().flatMap((c) =>
    references(c).filter((r) => r.rc === 0 && r.args.includes('--show_bytes') && r.args.includes('--text') && !r.args.some((a) => /^--(lines|addresses|files)$/.test(a)) && !r.name.includes('huge-counts')),
  );

  it('has references to compare with', () => {
    expect(refs.map((r) => `${r.case}/${r.name}`)).toEqual(expect.arrayContaining(['seed-leak/text-show_bytes', 'threads/manual-text-thread4-show_bytes']));
  });

  for (const ref of refs) {
    it(`${ref.case}/${ref.name}: -top shows jeprof's total and flat values`, async () => {
      const where = join('/opt/jeprof-corpus', ref.case);
      const pb = join(out, `${ref.case}-${ref.name}.pb.gz`);
      const exported = await runCli([...ref.args.map((a) => (a === '--text' ? '--proto' : a)), '-o', pb], { cwd: where });
      expect(exported.code, exported.stderr).toBe(0);
      const top = goPprof([...TOP, pb]);
      expect(top.stderr).toBe('');
      const jeprof = parseJeprofText(ref.expectedStdout);
      const pprof = parsePprofTop(top.stdout);
      expect(pprof.flat.size).toBeGreaterThan(3);
      expect(flatDifferences(jeprof, pprof, roundingSlack(pb))).toEqual([]);
    });
  }

  it('-raw lists every mapping with the build id of its file, and says nothing on stderr', async () => {
    const where = '/opt/jeprof-corpus/seed-leak';
    const pb = join(out, 'raw.pb.gz');
    expect((await runCli(['proto', 'app', 'jeprof.7069.8.f.heap', '-o', pb], { cwd: where })).code).toBe(0);
    const raw = goPprof(['-raw', pb]);
    expect(raw.code).toBe(0);
    expect(raw.stderr).toBe('');
    const mappings = raw.stdout.slice(raw.stdout.indexOf('Mappings\n')).split('\n').slice(1).filter((l) => l !== '');
    // The program, libc, libstdc++, libjemalloc and the loader.
    expect(mappings.length).toBe(5);
    expect(mappings[0]).toMatch(/^1: 0x563efa662000\/0x563efa665000\/0x1000 \/opt\/jeprof-corpus\/seed-leak\/app [0-9a-f]{40} \[FN\]\[FL\]\[LN\]/);
    for (const m of mappings) {
      const [, file, id] = /^\d+: \S+ (\S+) (\S+)/.exec(m)!;
      expect(id, m).toBe(readElfInfo(file)?.buildId);
    }
    expect(raw.stdout).toMatch(/^PeriodType: space bytes$/m);
    expect(raw.stdout).toMatch(/^alloc_objects\/count alloc_space\/bytes inuse_objects\/count inuse_space\/bytes\[dflt\]$/m);
  });
});

describe('system_name', () => {
  it('is the linker name of the functions nm named, as -raw shows it', async () => {
    installCase('seed-leak');
    const pb = join(tempDir('jeprof-ts-mangled-'), 'seed.pb.gz');
    expect((await runCli(['proto', 'app', 'jeprof.7069.8.f.heap', '-o', pb], { cwd: '/opt/jeprof-corpus/seed-leak' })).code).toBe(0);
    const raw = goPprof(['-raw', pb]).stdout;
    // A static C++ function of the program (.symtab) and a versioned libstdc++ export (.dynsym).
    expect(raw).toMatch(/ add_to_map\(std::map<int, int, std::less<int>, std::allocator<std::pair<int const, int> > >&, int\) \/opt\/jeprof-corpus\/seed-leak\/main\.cpp:22 s=0\(_ZL10add_to_mapRSt3mapIiiSt4lessIiESaISt4pairIKiiEEEi\)$/m);
    expect(raw).toMatch(/ std::__throw_ios_failure\(char const\*, int\)@@GLIBCXX_3\.4\.26 \?\?:0 s=0\(_ZSt19__throw_ios_failurePKci@@GLIBCXX_3\.4\.26\)$/m);
    // A C function's linker name is its name: pprof prints none beside it.
    expect(raw).toMatch(/ M=1 main \/opt\/jeprof-corpus\/seed-leak\/main\.cpp:43 s=0$/m);
  });
});

describe("the README's next steps in pprof", () => {
  let dir = '';
  const where = '/opt/jeprof-corpus/seed-leak';
  beforeAll(async () => {
    needGo();
    installCase('seed-leak');
    dir = tempDir('jeprof-ts-readme-');
    for (const [name, dump] of [['heap', 'jeprof.7069.8.f.heap'], ['first', 'jeprof.7069.0.i0.heap'], ['last', 'jeprof.7069.7.i7.heap']]) {
      expect((await runCli(['proto', 'app', dump, '-o', join(dir, `${name}.pb.gz`)], { cwd: where })).code).toBe(0);
    }
  });

  it('-top, -sample_index, -diff_base, -traces and -raw run without a word on stderr', () => {
    const heap = join(dir, 'heap.pb.gz');
    const runs = {
      top: goPprof(['-top', heap]),
      objects: goPprof(['-sample_index=inuse_objects', '-top', heap]),
      diff: goPprof(['-diff_base', join(dir, 'first.pb.gz'), '-top', join(dir, 'last.pb.gz')]),
      traces: goPprof(['-traces', heap]),
      raw: goPprof(['-raw', heap]),
    };
    for (const [name, r] of Object.entries(runs)) {
      expect(r.code, name).toBe(0);
      expect(r.stderr, name).toBe('');
    }
    expect(runs.top.stdout).toMatch(/^Type: inuse_space$/m);
    expect(runs.objects.stdout).toMatch(/^Type: inuse_objects$/m);
    // 30,000 map nodes and 30,000 strings at exit.
    expect(runs.objects.stdout).toMatch(/of 60003 total/);
    // i7 minus i0: the leak's growth, what `jeprof-ts top --base` shows.
    expect(runs.diff.stdout).toMatch(/^Showing nodes accounting for [\d.]+[kM]B/m);
    expect(runs.traces.stdout).toMatch(/^ +1\.37MB +malloc_usable_size$/m);
    expect(runs.traces.stdout).toMatch(/^ +add_to_map\(/m);
  });

  it('-http serves the web UI with the flame graph, and stops', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const server = spawn('go', ['tool', 'pprof', '-no_browser', `-http=127.0.0.1:${port}`, join(dir, 'heap.pb.gz')], { env: goEnv(), detached: true, stdio: 'ignore' });
    try {
      let page = '';
      for (let i = 0; i < 100 && page === ''; i++) {
        page = await fetch(`http://127.0.0.1:${port}/ui/`).then((r) => r.text(), () => '');
        if (page === '') await new Promise((r) => setTimeout(r, 100));
      }
      expect(page).toMatch(/<title>app inuse_space<\/title>/);
      const flame = await (await fetch(`http://127.0.0.1:${port}/ui/flamegraph`)).text();
      expect(flame).toMatch(/add_to_map/);
    } finally {
      // go runs pprof as a child: the whole group goes.
      process.kill(-server.pid!, 'SIGTERM');
    }
  });
});
