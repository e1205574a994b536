// A profile with tens of thousands of stacks: a program generated and built here (the bench's
// generator, scripts/scenarios/src/gen_many.c, at a smaller size) runs under the real jemalloc;
// go tool pprof -top on our export shows the totals and flat values of jeprof-ts's --text (which
// prints jeprof's bytes: see the corpus goldens), and the export reads back byte-identical.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { flatDifferences, goPprof, needGo, parseJeprofText, parsePprofTop, roundingSlack } from '../helpers/go-pprof.js';
import { needTool } from '../helpers/need.js';
import { gzipMembers } from '../helpers/pprof-message.js';
import { tempDir } from '../helpers/temp-dir.js';

const GEN = join(import.meta.dirname, '..', '..', 'scripts', 'scenarios', 'src', 'gen_many.c');
const JEMALLOC = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';

describe('a 20,000-stack profile through go tool pprof', () => {
  let dir = '';
  beforeAll(() => {
    needGo();
    needTool('gcc', 'gcc');
    needTool('setarch', 'util-linux');
    dir = tempDir('jeprof-ts-large-');
    execFileSync('gcc', ['-O1', '-o', join(dir, 'gen_many'), GEN]);
    // 1,500 functions, 20,000 chains up to 30 deep: some 3 s of gcc, 20,000 distinct stacks.
    writeFileSync(join(dir, 'many.c'), execFileSync(join(dir, 'gen_many'), ['1500', '20000', '30']));
    execFileSync('gcc', ['-O0', '-g', '-o', join(dir, 'prog'), join(dir, 'many.c')]);
    const env = { ...process.env, LD_PRELOAD: JEMALLOC, MALLOC_CONF: `prof:true,prof_final:true,lg_prof_sample:0,prof_prefix:${dir}/jeprof` };
    execFileSync('setarch', ['x86_64', '-R', join(dir, 'prog')], { cwd: dir, env, stdio: 'ignore' });
    const dump = readdirSync(dir).find((f) => f.endsWith('.f.heap'))!;
    renameSync(join(dir, dump), join(dir, 'final.heap'));
  }, 120_000);

  it('-top agrees with --text --show_bytes, and the export reads back the same', async () => {
    const text = await runCli(['--text', '--show_bytes', 'prog', 'final.heap'], { cwd: dir });
    expect(text.code, text.stderr).toBe(0);
    const pb = join(dir, 'large.pb.gz');
    expect((await runCli(['proto', 'prog', 'final.heap', '-o', pb], { cwd: dir })).code).toBe(0);
    // Its 20,000 stacks' frames are more than one piece (PIECE_FRAMES): go tool pprof and the
    // read back below take a file of several gzip members.
    expect(gzipMembers(readFileSync(pb))).toBeGreaterThan(1);
    const slack = roundingSlack(pb);
    expect(slack.total).toBeGreaterThan(10_000);
    const top = goPprof(['-top', '-unit=B', '-nodefraction=0', '-edgefraction=0', '-nodecount=1000000', '-sample_index=inuse_space', pb]);
    expect(top.stderr).toBe('');
    const ours = parseJeprofText(text.stdout);
    const pprof = parsePprofTop(top.stdout);
    expect(pprof.flat.size).toBeGreaterThan(1000);
    expect(flatDifferences(ours, pprof, slack)).toEqual([]);
    const back = await runCli(['--text', '--show_bytes', pb], { cwd: dir });
    expect(back.stdout).toBe(text.stdout);
  }, 120_000);
});
