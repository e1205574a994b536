// The whole pipeline on a hand-made profile and fake symbol tables, with hand-computed reports.
import { describe, expect, it } from 'vitest';
import { FakeObjTool } from '../helpers/fake-objtool.js';
import { runCli } from '../helpers/capture.js';

const PROG = new URL('../../fixtures/bin/tiny', import.meta.url).pathname;
const HEAP = new URL('../../fixtures/heap/two-stacks.heap', import.meta.url).pathname;

// Stacks (leaf first, callers minus 1): [malloc 401a00, 401b0f, 401c1f] 2048 B and
// [malloc 401a00, 401b1f, 401c1f] 1048576 B. At rate 1 the unsampling factor is
// 1/(1-e^-1024) = 1 exactly in doubles, so the values stay whole. malloc is an allocator frame
// and goes. 401b0f is helper with grow_buffer inlined; 401b1f is helper; 401c1f is main.
// Total 1050624 B = 1.002 MB. flat: helper 1048576, grow_buffer (inline) 2048; cum: helper and
// main 1050624, grow_buffer (inline) 2048. Percentages are of the flat sum 1050624:
// 1048576/1050624 = 99.805% -> 99.8%, 2048/1050624 = 0.195% -> 0.2%.
describe('pipeline with fake binutils', () => {
  it('prints the top table in MB', async () => {
    const r = await runCli(['--text', PROG, HEAP], { deps: { objTool: new FakeObjTool() } });
    expect(r.stderr).toBe(`Using local file ${PROG}.\nUsing local file ${HEAP}.\n`);
    expect(r.stdout).toBe(
      'Total: 1.0 MB\n' +
        '     1.0  99.8%  99.8%      1.0 100.0% helper\n' +
        '     0.0   0.2% 100.0%      0.0   0.2% grow_buffer (inline)\n' +
        '     0.0   0.0% 100.0%      1.0 100.0% main\n',
    );
    expect(r.code).toBe(0);
  });

  it('prints bytes with --show_bytes and sorts by cum with --cum', async () => {
    const r = await runCli(['top', '--show_bytes', '--cum', PROG, HEAP], { deps: { objTool: new FakeObjTool() } });
    // By cum: helper and main tie at 1050624 and sort by name; the running column still sums flat.
    expect(r.stdout).toBe(
      'Total: 1050624 B\n' +
        ' 1048576  99.8%  99.8%  1050624 100.0% helper\n' +
        '       0   0.0%  99.8%  1050624 100.0% main\n' +
        '    2048   0.2% 100.0%     2048   0.2% grow_buffer (inline)\n',
    );
  });

  it('gives one row per source line with --lines', async () => {
    const r = await runCli(['-text', '-lines', '-show_b', PROG, HEAP], { deps: { objTool: new FakeObjTool() } });
    expect(r.stdout).toBe(
      'Total: 1050624 B\n' +
        ' 1048576  99.8%  99.8%  1048576  99.8% helper /src/app.c:31\n' +
        '    2048   0.2% 100.0%     2048   0.2% grow_buffer (inline) /src/buf.c:12\n' +
        '       0   0.0% 100.0%     2048   0.2% helper /src/app.c:30\n' +
        '       0   0.0% 100.0%  1050624 100.0% main /src/app.c:50\n',
    );
  });

  it('counts objects with --inuse_objects and keeps only matching stacks with --focus', async () => {
    const r = await runCli(['--text', '--inuse_objects', '--focus=grow_', PROG, HEAP], { deps: { objTool: new FakeObjTool() } });
    // Total counts every stack (3 objects); rows and percentages only the focused one (2 objects).
    expect(r.stdout).toBe(
      'Total: 3 objects\n' +
        '       2 100.0% 100.0%        2 100.0% grow_buffer (inline)\n' +
        '       0   0.0% 100.0%        2 100.0% helper\n' +
        '       0   0.0% 100.0%        2 100.0% main\n',
    );
  });

  it('subtracts a --base: a profile minus itself prints no Total line and no rows', async () => {
    const r = await runCli(['--text', `--base=${HEAP}`, PROG, HEAP], { deps: { objTool: new FakeObjTool() } });
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
  });
});
