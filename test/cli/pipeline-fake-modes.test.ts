// --dot, --collapsed, --callgrind and --raw worked out by hand from jeprof's source on a made-up program (fake binutils).
//
// The program is fixtures/bin/shapes.json: malloc 0x401000, alloc_node 0x401100, parse 0x401200,
// run 0x401300, main 0x401400, _fini 0x401500 (nm); addr2line names every PC the dumps hold.
// jeprof's rules the numbers below follow (jeprof 5.3, bin/jeprof.in):
// - callers' addresses are return addresses, read minus 1 (FixCallerAddresses); the leaf is not;
// - heap_v2/1 unsampling: scale 1/(1 - exp(-avg size / 1)); every avg size here is >= 1 MiB, so
//   exp(...) underflows to 0 and the scale is exactly 1: values stay as written;
// - malloc is an allocator frame: it and the frames before it go (RemoveUninterestingFrames);
// - a PC's symbols are callers first: 0x401210 is [parse /src/parse.c:21, alloc_node
//   /src/node.c:5] (alloc_node inlined into parse); nm's full names carry their start address
//   (`parse<0000000000401200>`, GetProcedureBoundariesViaNm), which --collapsed and --raw print
//   for the outer frame, while the inlined frame keeps addr2line's name.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { FakeObjTool } from '../helpers/fake-objtool.js';
import { tempDir } from '../helpers/temp-dir.js';

const MiB = 1048576;

/**
 * A heap_v2/1 dump as jemalloc writes it, every stack on thread 0: `@` and the addresses (callers
 * as return addresses), then `t*:` and `t0:` lines of objects and bytes in use; the header sums them.
 */
function dump(stacks: { at: string; objects: number; bytes: number }[]): string {
  const counts = (objects: number, bytes: number) => `  t*: ${objects}: ${bytes} [0: 0]\n  t0: ${objects}: ${bytes} [0: 0]\n`;
  const sum = (k: 'objects' | 'bytes') => stacks.reduce((a, st) => a + st[k], 0);
  const body = stacks.map((st) => `@ ${st.at}\n${counts(st.objects, st.bytes)}`).join('');
  return `heap_v2/1\n${counts(sum('objects'), sum('bytes'))}${body}\nMAPPED_LIBRARIES:\n00400000-00401000 r--p 00000000 fe:00 1 /build/elsewhere/shapes\n`;
}

// Three stacks, leaf first (after the minus 1): 8 MiB in all.
//   S1  malloc 401010, parse+alloc_node 401210, main 401420 (main.c:10)   2 objects, 4 MiB
//   S2  malloc 401010, run 401310 (run.c:7), run 401330 (run.c:9), main 401430 (main.c:11)   1 object, 1 MiB
//   S3  parse 401220 (parse.c:30), main 401440 (main.c:12)   3 objects, 3 MiB (a leaf that is no allocator)
const S1 = '0x401010 0x401211 0x401421';
const S2 = '0x401010 0x401311 0x401331 0x401431';
const S3 = '0x401220 0x401441';
const HEAP = dump([
  { at: S1, objects: 2, bytes: 4 * MiB },
  { at: S2, objects: 1, bytes: 1 * MiB },
  { at: S3, objects: 3, bytes: 3 * MiB },
]);
// A base with S1 at 6 MiB and S3 at 1 MiB, no S2: HEAP minus BASE is S1 -2 MiB, S2 +1 MiB, S3 +2 MiB.
const BASE = dump([
  { at: S1, objects: 3, bytes: 6 * MiB },
  { at: S3, objects: 1, bytes: 1 * MiB },
]);

let dir = '';
beforeAll(() => {
  dir = tempDir('jeprof-ts-shapes-');
  // The fake objtool answers for the program by its file name; the file itself is never read.
  writeFileSync(join(dir, 'shapes'), '');
  writeFileSync(join(dir, 'shapes.heap'), HEAP);
  writeFileSync(join(dir, 'base.heap'), BASE);
  mkdirSync(join(dir, 'out'));
});

const run = (args: string[]) => runCli(args, { cwd: dir, deps: { objTool: new FakeObjTool() } });
const sortedLines = (t: string) => t.split('\n').sort();

// The top table the other modes agree with. Per function (reduced stacks, each function once):
// S1 [alloc_node (inline), parse, main], S2 [run, main] (run's recursion counted once), S3 [parse, main].
// flat: alloc_node (inline) 4, parse 3, run 1, main 0 MiB; cum: main 8, parse 4+3 = 7, alloc_node 4, run 1.
// Shares of 8 MiB: 50.0%, 37.5%, 12.5%; running 50.0, 87.5, 100.0.
const TOP = [
  'Total: 8.0 MB',
  '     4.0  50.0%  50.0%      4.0  50.0% alloc_node (inline)',
  '     3.0  37.5%  87.5%      7.0  87.5% parse',
  '     1.0  12.5% 100.0%      1.0  12.5% run',
  '     0.0   0.0% 100.0%      8.0 100.0% main',
  '',
].join('\n');

describe('hand-computed reports on the fake program', () => {
  it('--text', async () => {
    expect((await run(['--text', 'shapes', 'shapes.heap'])).stdout).toBe(TOP);
  });

  it('--dot: nodes by cum, font sizes, labels, edge weights and widths', async () => {
    const r = await run(['--dot', 'shapes', 'shapes.heap']);
    // local total 8 MiB = 8388608; nodelimit int(0.005 * 8388608) = 41943 (0.04 MB, "0.0"),
    // edgelimit int(0.001 * 8388608) = 8388; no node is that small, all four stay, by cum then name.
    // fontsize 8 + 50 * sqrt(|flat| / total): main 8.0; parse 8 + 50 * sqrt(3/8) = 38.62 -> 38.6;
    // alloc_node 8 + 50 * sqrt(4/8) = 43.36 -> 43.4; run 8 + 50 * sqrt(1/8) = 25.68 -> 25.7.
    // `of <cum> (<share>)` only where flat != cum; spaces and :: become \n in a label.
    // Edges come from the unreduced stacks: main->parse 4 + 3 = 7 MiB, parse->alloc_node 4,
    // main->run 1, run->run 1 (S2's recursion is a self edge). weight int(n ** 0.7):
    // 7340032 ** 0.7 = 63971.8 -> 63971; 4194304 ** 0.7 = 2 ** 15.4 = 43237.6 -> 43237;
    // 1048576 ** 0.7 is 2 ** 14 = 16384 in exact arithmetic, but 0.7 is a hair under 7/10 as a
    // double: 16383.99999999999 -> 16383. Width 2 * min(1, 3 * n / total): 7 and 4 MiB -> 2,
    // 1 MiB -> 0.75. An edge into an inlined frame is dashed. The two 1 MiB edges tie, and jeprof
    // prints ties in hash order, so lines are compared sorted.
    expect(sortedLines(r.stdout)).toEqual(
      sortedLines(
        [
          'digraph "shapes; 8.0 MB" {',
          'node [width=0.375,height=0.25];',
          'Legend [shape=box,fontsize=24,shape=plaintext,label="shapes\\lTotal MB: 8.0\\lFocusing on: 8.0\\lDropped nodes with <= 0.0 abs(MB)\\lDropped edges with <= 0.0 MB\\l"];',
          'N1 [label="main\\n0.0 (0.0%)\\rof 8.0 (100.0%)\\r",shape=box,fontsize=8.0];',
          'N2 [label="parse\\n3.0 (37.5%)\\rof 7.0 (87.5%)\\r",shape=box,fontsize=38.6];',
          'N3 [label="alloc_node\\n(inline)\\n4.0 (50.0%)\\r",shape=box,fontsize=43.4];',
          'N4 [label="run\\n1.0 (12.5%)\\r",shape=box,fontsize=25.7];',
          'N1 -> N2 [label=7.0, weight=63971, style="setlinewidth(2.000000)"];',
          'N2 -> N3 [label=4.0, weight=43237, style="setlinewidth(2.000000),dashed"];',
          'N1 -> N4 [label=1.0, weight=16383, style="setlinewidth(0.750000)"];',
          'N4 -> N4 [label=1.0, weight=16383, style="setlinewidth(0.750000)"];',
          '}',
          '',
        ].join('\n'),
      ),
    );
    expect(r.stderr).toContain('\nDropping nodes with <= 0.0 MB; edges with <= 0.0 abs(MB)\n');
  });

  it('--dot --nodecount=3 and --nodefraction=0.2 leave run out, with its edges', async () => {
    const kept = [
      'N1 [label="main\\n0.0 (0.0%)\\rof 8.0 (100.0%)\\r",shape=box,fontsize=8.0];',
      'N2 [label="parse\\n3.0 (37.5%)\\rof 7.0 (87.5%)\\r",shape=box,fontsize=38.6];',
      'N3 [label="alloc_node\\n(inline)\\n4.0 (50.0%)\\r",shape=box,fontsize=43.4];',
      'N1 -> N2 [label=7.0, weight=63971, style="setlinewidth(2.000000)"];',
      'N2 -> N3 [label=4.0, weight=43237, style="setlinewidth(2.000000),dashed"];',
      '}',
      '',
    ];
    const legend = (nodes: string) => `Legend [shape=box,fontsize=24,shape=plaintext,label="shapes\\lTotal MB: 8.0\\lFocusing on: 8.0\\lDropped nodes with <= ${nodes} abs(MB)\\lDropped edges with <= 0.0 MB\\l"];`;
    const head = ['digraph "shapes; 8.0 MB" {', 'node [width=0.375,height=0.25];'];
    // The three largest by cum (main, parse, alloc_node); the node limit stays 0.0 MB.
    const byCount = await run(['--dot', '--nodecount=3', 'shapes', 'shapes.heap']);
    expect(byCount.stdout).toBe([...head, legend('0.0'), ...kept].join('\n'));
    // nodelimit int(0.2 * 8388608) = int(1677721.6) = 1677721 bytes = 1.59999 MB -> "1.6";
    // run's cum 1048576 is <= it.
    const byFraction = await run(['--dot', '--nodefraction=0.2', 'shapes', 'shapes.heap']);
    expect(byFraction.stdout).toBe([...head, legend('1.6'), ...kept].join('\n'));
    expect(byFraction.stderr).toContain('\nDropping nodes with <= 1.6 MB; edges with <= 0.0 abs(MB)\n');
  });

  it('--dot --base: negative flat, nodes by |cum|, a node at zero dropped', async () => {
    const r = await run(['--dot', '--base=base.heap', 'shapes', 'shapes.heap']);
    // S1 -2, S2 +1, S3 +2 MiB. flat: alloc_node -2, run +1, parse +2; total 1 MiB = 1048576.
    // cum: main -2 + 1 + 2 = 1, parse -2 + 2 = 0, alloc_node -2, run 1. By |cum| then name:
    // alloc_node 2, main 1, run 1, parse 0; nodelimit int(0.005 * 1048576) = 5242 drops parse.
    // fontsize: alloc_node 8 + 50 * sqrt(2) = 78.71 -> 78.7, main 8.0, run 8 + 50 * 1 = 58.0.
    // Shares of 1 MiB: -200.0%, 100.0%. Only S2's edges join kept nodes (parse is gone): main->run
    // and run->run, 1 MiB each, width 2 * min(1, 3 * 1) = 2, weight 16383.
    expect(sortedLines(r.stdout)).toEqual(
      sortedLines(
        [
          'digraph "shapes; 1.0 MB" {',
          'node [width=0.375,height=0.25];',
          'Legend [shape=box,fontsize=24,shape=plaintext,label="shapes\\lTotal MB: 1.0\\lFocusing on: 1.0\\lDropped nodes with <= 0.0 abs(MB)\\lDropped edges with <= 0.0 MB\\l"];',
          'N1 [label="alloc_node\\n(inline)\\n-2.0 (-200.0%)\\r",shape=box,fontsize=78.7];',
          'N2 [label="main\\n0.0 (0.0%)\\rof 1.0 (100.0%)\\r",shape=box,fontsize=8.0];',
          'N3 [label="run\\n1.0 (100.0%)\\r",shape=box,fontsize=58.0];',
          'N2 -> N3 [label=1.0, weight=16383, style="setlinewidth(2.000000)"];',
          'N3 -> N3 [label=1.0, weight=16383, style="setlinewidth(2.000000)"];',
          '}',
          '',
        ].join('\n'),
      ),
    );
  });

  it('--collapsed: root first, inlined frames marked, one line per stack, bytes or objects', async () => {
    // PrintCollapsedStacks on the unreduced stacks: run;run stays twice. jeprof-ts sorts the lines
    // (jeprof prints them in hash order); ' ' sorts before ';', so S3 comes before S1.
    const folded = (s1: number, s2: number, s3: number) =>
      [
        `main<0000000000401400>;parse<0000000000401200> ${s3}`,
        `main<0000000000401400>;parse<0000000000401200>;alloc_node[inline] ${s1}`,
        `main<0000000000401400>;run<0000000000401300>;run<0000000000401300> ${s2}`,
        '',
      ].join('\n');
    expect((await run(['--collapsed', 'shapes', 'shapes.heap'])).stdout).toBe(folded(4 * MiB, 1 * MiB, 3 * MiB));
    expect((await run(['--collapsed', '--inuse_objects', 'shapes', 'shapes.heap'])).stdout).toBe(folded(2, 1, 3));
    // With the base: S1 4 - 6 = -2 MiB, S2 1 MiB (not in the base), S3 3 - 1 = 2 MiB.
    const based = (await run(['--collapsed', '--base=base.heap', 'shapes', 'shapes.heap'])).stdout;
    expect(sortedLines(based)).toEqual(sortedLines(folded(-2 * MiB, 1 * MiB, 2 * MiB)));
  });

  it('--callgrind: costs per caller line, calls per call site, compressed names', async () => {
    // ExtractCalls names a PC `file:line:function` from its OUTER frame (0x401210 is
    // /src/parse.c:21:parse; the inlined alloc_node does not show). Per stack: the leaf gets the
    // cost, each caller a call to the frame below it:
    //   S1 /src/parse.c:21:parse 4 MiB; main.c:10:main -> parse.c:21:parse 4 MiB
    //   S2 /src/run.c:7:run 1 MiB; run.c:9:run -> run.c:7:run 1; main.c:11:main -> run.c:9:run 1
    //   S3 /src/parse.c:30:parse 3 MiB; main.c:12:main -> parse.c:30:parse 3 MiB
    // Records sorted by caller file, then line (no ties here). Files and functions get (n) the first
    // time and (n) alone after, one numbering per kind; a name of 3 characters or fewer (`run`) is
    // never numbered. `calls=<count> <callee line>`, then `<caller line> <count>`.
    expect((await run(['--callgrind', 'shapes', 'shapes.heap'])).stdout).toBe(
      [
        'events: Hits',
        '',
        'fl=(1) /src/main.c',
        'fn=(1) main',
        'cfl=(2) /src/parse.c',
        'cfn=(2) parse',
        'calls=4194304 21',
        '10 4194304',
        '',
        'fl=(1)',
        'fn=(1)',
        'cfl=(3) /src/run.c',
        'cfn=run',
        'calls=1048576 9',
        '11 1048576',
        '',
        'fl=(1)',
        'fn=(1)',
        'cfl=(2)',
        'cfn=(2)',
        'calls=3145728 30',
        '12 3145728',
        '',
        'fl=(2)',
        'fn=(2)',
        '21 4194304',
        '',
        'fl=(2)',
        'fn=(2)',
        '30 3145728',
        '',
        'fl=(3)',
        'fn=run',
        '7 1048576',
        '',
        'fl=(3)',
        'fn=run',
        'cfl=(3)',
        'cfn=run',
        'calls=1048576 7',
        '9 1048576',
        '',
        '',
      ].join('\n'),
    );
    // With the base the same records carry S1 -2 MiB and S3 +2 MiB.
    const based = (await run(['--callgrind', '--base=base.heap', 'shapes', 'shapes.heap'])).stdout;
    expect(based).toContain('\ncalls=-2097152 21\n10 -2097152\n');
    expect(based).toContain('\ncalls=2097152 30\n12 2097152\n');
    expect(based).toContain('\nfl=(2)\nfn=(2)\n21 -2097152\n');
  });

  // Every PC of the dump, named (outer frame first, joined by --), by address; malloc's too: the
  // symbol table is made before the allocator frames go.
  const SYMBOLS = [
    '--- symbol',
    'binary=shapes',
    '0x0000000000401010 malloc<0000000000401000>',
    '0x0000000000401210 parse<0000000000401200>--alloc_node',
    '0x0000000000401220 parse<0000000000401200>',
    '0x0000000000401310 run<0000000000401300>',
    '0x0000000000401330 run<0000000000401300>',
    '0x0000000000401420 main<0000000000401400>',
    '0x0000000000401430 main<0000000000401400>',
    '0x0000000000401440 main<0000000000401400>',
    '---',
    '--- heap',
    '',
  ].join('\n');

  it('--raw: the symbol section, then jeprof\'s death for a local profile (exit 2)', async () => {
    const r = await run(['--raw', 'shapes', 'shapes.heap']);
    expect(r.stdout).toBe(SYMBOLS);
    expect(r.stderr).toContain('\n--raw/http: jeprof can only dump remote profiles for --raw\n');
    expect(r.code).toBe(2);
  });

  it('raw: the symbols and the dump as written, which read back without the program', async () => {
    const r = await run(['raw', 'shapes', 'shapes.heap']);
    expect(r.stdout).toBe(SYMBOLS + HEAP);
    expect(r.code).toBe(0);
    writeFileSync(join(dir, 'out', 'shapes.raw'), r.stdout);
    // No program argument: the names come from the file (the fake objtool is never asked).
    const back = await runCli(['--text', join(dir, 'out', 'shapes.raw')], { cwd: dir });
    expect(back.stdout).toBe(TOP);
    expect(back.code).toBe(0);
  });
});
