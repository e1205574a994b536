// jeprof's option spellings keep jeprof's meaning: each row runs the real jeprof and jeprof-ts on the same argv and compares.
//
// jeprof reads its options with Perl's Getopt::Long (2.52 here) in its default configuration:
// `--`, `-` or `+` before a name, names in any case, any unique prefix of a name in jeprof's
// GetOptions table (an exact name wins over longer ones), `--noX` / `--no-X` for the flags marked
// `!` there (all but heapcheck), values after `=` or as the next argument (a string takes the next
// argument whatever it looks like), integers and reals as Getopt's patterns allow (`1_000`, `.5`,
// not `1.`), options anywhere among the files, `--` ending them. Every row's argv below is
// therefore a jeprof command line, and its meaning is jeprof's: the real jeprof decides it.
// jeprof-ts's own options (--output/-o, --map-path, --no-cache, --no-warnings, --strict-tools,
// --demo) are looked up only where jeprof's table has no match, so none of them (nor any option
// added later) can take over a jeprof prefix: `--ma` stays maxdegree, `--no-w` stays no-web.
// `-o FILE` and `--output=FILE` are jeprof-ts's; jeprof rejects both, and the last rows pin them.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/capture.js';
import { installCase } from '../helpers/corpus.js';
import { needTool } from '../helpers/need.js';
import { tempDir } from '../helpers/temp-dir.js';

const APP = '/opt/jeprof-corpus/seed-leak/app';
// Stand for seed-leak's dumps with only the program's own mappings (written in beforeAll): the
// library frames stay addresses, so neither tool spends a second reading libc and libstdc++ for
// each of ~110 runs, while the program's frames keep their names for the filters, list and disasm.
const FINAL = 'FINAL';
const I0 = 'I0';
const I7 = 'I7';
const DUMPS: Record<string, string> = { FINAL: 'jeprof.7069.8.f.heap', I0: 'jeprof.7069.0.i0.heap', I7: 'jeprof.7069.7.i7.heap' };

/**
 * How the two runs are compared. exact: stdout byte for byte; lines: as sorted lines (jeprof
 * prints these modes in Perl hash order); magic: a rendered graph, same file type (the layout
 * follows the dot file's random order); callgrind: its records with the compressed names spelled
 * out (jeprof numbers names as they first appear, and records whose file and line tie come in hash
 * order); fail: both fail with nothing on stdout; own: help and version, each tool's own text for
 * the spelled-out option (`same`).
 */
type Compare = 'exact' | 'lines' | 'magic' | 'callgrind' | 'fail' | 'own';

interface Spelling {
  args: string[];
  compare: Compare;
  /** What jeprof makes of it. */
  why: string;
  /** For `own`: the spelled-out argv whose output each tool must repeat. */
  same?: string[];
}

/** `jeprof <opts> app final`, and with --text or --dot first: the shapes most rows take. */
const row = (opts: string[], why: string, compare: Compare): Spelling => ({ args: [...opts, APP, FINAL], compare, why });
const text = (opts: string[], why: string, compare: Compare = 'exact') => row(['--text', ...opts], why, compare);
const dot = (opts: string[], why: string, compare: Compare = 'lines') => row(['--dot', ...opts], why, compare);

const SPELLINGS: Spelling[] = [
  // Output modes.
  row(['--tex'], 'text (test and test_stride start with tes)', 'exact'),
  row(['-text'], 'one dash is as good as two', 'exact'),
  row(['+text'], "Getopt's + starter (getopt_compat)", 'exact'),
  row(['--TEXT'], 'names in any case (ignorecase)', 'exact'),
  row(['--te'], 'ambiguous: test, test_stride, text', 'fail'),
  row(['--callg'], 'callgrind', 'callgrind'),
  row(['--coll'], 'collapsed', 'lines'),
  row(['--do'], 'dot (drop_negative starts with dr)', 'lines'),
  row(['--sv'], 'svg', 'magic'),
  row(['--pd'], 'pdf', 'magic'),
  row(['--ps'], 'ps', 'magic'),
  row(['--p'], 'ambiguous: pdf, ps', 'fail'),
  row(['--gi'], 'gif', 'magic'),
  row(['--g'], 'ambiguous: gif, gv', 'fail'),
  row(['--ra'], 'raw: the symbols, then jeprof dies for a local profile (both fail)', 'lines'),
  row(['--lis=leak_some'], 'list', 'exact'),
  row(['--li=leak_some'], 'ambiguous: lib_prefix, lines, list', 'fail'),
  row(['--dis=leak_some'], 'disasm', 'exact'),
  row(['--disasm', 'leak_some'], 'a value as the next argument', 'exact'),
  row(['--inte'], 'interactive, reading no command', 'exact'),
  { args: ['--sy', APP], compare: 'exact', why: 'symbols, reading no address' },
  row(['--notext', '--dot'], 'a negated mode is no mode', 'lines'),

  // Sample types.
  text(['--inuse_o'], 'inuse_objects'),
  text(['--inuse_s'], 'inuse_space'),
  text(['--alloc_s'], 'alloc_space'),
  text(['--alloc_o'], 'alloc_objects'),
  text(['--Inuse_Objects'], 'names in any case'),
  text(['--in'], 'ambiguous: interactive, inuse_objects, inuse_space', 'fail'),
  text(['--alloc'], 'ambiguous: alloc_objects, alloc_space', 'fail'),

  // Granularity.
  text(['--addr'], 'addresses'),
  text(['--add=x'], 'ambiguous: add_lib, addresses', 'fail'),
  text(['--lin'], 'lines'),
  text(['--fil'], 'files'),
  text(['--fun'], 'functions'),
  text(['--f=x'], 'ambiguous: files, focus, functions', 'fail'),

  // Filters.
  text(['--focus=add_to_map'], 'focus'),
  text(['--foc', 'add_to_map'], 'focus, its value as the next argument'),
  text(['--focus', '--cum'], 'a string option takes the next argument even when it looks like an option'),
  text(['--ign=leak_some'], 'ignore'),
  text(['--ret=add_to|do_round|main'], 'retain'),
  text(['--exc=std::'], 'exclude'),
  text(['--thr=0'], 'thread'),
  text(['--thr', '*'], 'thread, each one'),

  // --base and --drop_negative.
  { args: ['--text', '-base', I0, APP, I7], compare: 'exact', why: 'base with one dash, its value as the next argument' },
  { args: ['--text', '--base', I0, APP, I7], compare: 'exact', why: 'base, the value next' },
  { args: ['--text', `--bas=${I0}`, APP, I7], compare: 'exact', why: 'base by prefix' },
  { args: ['--text', '--dro', `--base=${I7}`, APP, I0], compare: 'exact', why: 'drop_negative' },
  text(['--d'], 'ambiguous: debug, debug-syms-by-id, disasm, dot, drop_negative', 'fail'),

  // Display.
  text(['--cu'], 'cum'),
  text(['--c'], 'ambiguous: callgrind, collapsed, contentions, cum', 'fail'),
  text(['--sh'], 'show_bytes (seconds, symbols, svg, scale do not start with sh)'),
  text(['--s'], 'ambiguous: scale, seconds, show_bytes, svg, symbols', 'fail'),

  // The call graph's options.
  dot(['--max=3'], 'maxdegree'),
  dot(['--ma=3'], "maxdegree: jeprof-ts's --map-path must not make it ambiguous"),
  dot(['--m=3'], 'ambiguous: maxdegree, mean_delay', 'fail'),
  dot(['--nod=2'], 'ambiguous: nodebug, nodebug-syms-by-id, nodecount, nodefraction, nodot, nodrop_negative (negations count)', 'fail'),
  dot(['--nodec=2'], 'nodecount'),
  dot(['--nodecount', '2'], 'an integer as the next argument'),
  dot(['--nodef=0.1'], 'nodefraction'),
  dot(['--edgef=0.1'], 'edgefraction'),
  dot(['--edge', '0.1'], 'edgefraction, the value next'),
  dot(['--heap'], 'heapcheck'),
  dot(['--nodecount=1_0'], 'Getopt integers may hold underscores (10)'),
  dot(['--nodecount=+3'], 'a signed integer'),
  dot(['--nodecount=2.5'], 'not an integer', 'fail'),
  dot(['--nodecount=x'], 'not a number', 'fail'),
  dot(['--nodecount'], 'the next argument (the program) is not a number', 'fail'),
  dot(['--nodefraction=.05'], 'a real without its leading 0'),
  dot(['--nodefraction=5e-2'], 'a real with an exponent'),
  dot(['--nodefraction=0.0_5'], 'a real with an underscore'),
  dot(['--nodefraction=0.'], "Getopt's reals need a digit after the point", 'fail'),

  // Libraries and tools.
  text(['--lib_p=/nonexistent'], 'lib_prefix'),
  text([`--add_l=${APP}`], 'add_lib'),
  text(['--too=/usr/bin/'], 'tools'),

  // jeprof options with no effect on a local heap profile: accepted all the same.
  text(['--seconds=5'], 'seconds'),
  text(['--sca=2'], 'scale'),
  text(['--tot'], 'total_delay'),
  text(['--cont'], 'contentions'),
  text(['--mea'], 'mean_delay'),
  text(['--test_s=2'], 'test_stride'),
  text(['--debug-s'], 'debug-syms-by-id'),
  text(['--deb'], 'ambiguous: debug, debug-syms-by-id', 'fail'),
  text(['--nodebug'], 'debug negated'),

  // Negations.
  row(['--cum', '--nocum', '--text'], 'the last of --cum / --nocum wins', 'exact'),
  row(['--cum', '--no-cum', '--text'], '--no-X as --noX', 'exact'),
  row(['--cum', '--nocu', '--text'], 'a negation by prefix', 'exact'),
  row(['--web', '--no-w', '--text'], "no-web, not jeprof-ts's --no-warnings", 'exact'),
  row(['--callgrind', '--no-ca', '--text'], "no-callgrind, not jeprof-ts's --no-cache", 'exact'),
  text(['--no-c'], 'ambiguous: no-callgrind, no-collapsed, no-contentions, no-cum', 'fail'),
  text(['--nohe'], 'nohelp (a negation is a name too)'),
  text(['--noheapcheck'], 'heapcheck has no ! in the table: no negation', 'fail'),

  // Where options go, and broken ones.
  { args: [APP, FINAL, '--inuse_o', '--text'], compare: 'exact', why: 'options after the files' },
  text(['--'], '-- ends the options'),
  text(['--cum=1'], 'a flag takes no value', 'fail'),
  text(['--base='], 'an empty value after = is none', 'fail'),
  { args: ['--text', APP, FINAL, '--base'], compare: 'fail', why: 'no value at the end' },
  text(['--=x'], 'unknown option =x', 'fail'),
  text(['---text'], 'unknown option -text', 'fail'),
  row(['+'], 'missing option after +', 'fail'),

  // Help and version: each tool's own text.
  { args: ['--hel'], compare: 'own', same: ['--help'], why: 'help' },
  { args: ['-help'], compare: 'own', same: ['--help'], why: 'help, one dash' },
  { args: ['--vers'], compare: 'own', same: ['--version'], why: 'version' },
  { args: ['--v'], compare: 'own', same: ['--version'], why: 'version (the only v)' },
  { args: ['--h'], compare: 'fail', why: 'ambiguous: heapcheck, help' },
  row(['--nohelp', '--text'], 'help negated', 'exact'),
];

let where = '';
let dumps = '';
beforeAll(() => {
  needTool('/usr/bin/jeprof', 'libjemalloc-dev');
  where = installCase('seed-leak');
  dumps = tempDir('jeprof-ts-spellings-');
  for (const name of Object.values(DUMPS)) {
    const text = readFileSync(join(where, name), 'latin1');
    writeFileSync(join(dumps, name), text.split('\n').filter((line) => !line.includes(' /usr/lib/')).join('\n'));
  }
});

/** The argv with the dump placeholders replaced by the paths of the trimmed dumps. */
const expand = (args: string[]) => args.map((a) => a.replace(/\b(FINAL|I0|I7)\b/, (k) => join(dumps, DUMPS[k])));

interface Run {
  code: number | null;
  stdout: string;
}

/** The real jeprof in the case's folder, stdin empty (the shell and --symbols read it). */
function jeprof(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/jeprof', args, { cwd: where, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks).toString('latin1') }));
  });
}

const jeprofTs = (args: string[]): Promise<Run> => runCli(args, { cwd: where });
const sortedLines = (t: string) => t.split('\n').sort();

/** A callgrind file's records (blank-line separated), `fn=(3)` and `cfn=(3)` back to the names they stand for, sorted. */
function callgrindRecords(text: string): string[] {
  const names = { fl: new Map<string, string>(), fn: new Map<string, string>() };
  const records = text.split('\n\n').map((record) =>
    record
      .split('\n')
      .map((line) => {
        const m = /^(c?)(fl|fn)=\((\d+)\)(?: (.*))?$/.exec(line);
        if (!m) return line;
        const table = names[m[2] as 'fl' | 'fn'];
        if (m[4] !== undefined) table.set(m[3], m[4]);
        return `${m[1]}${m[2]}=${table.get(m[3]) ?? `(undefined ${m[3]})`}`;
      })
      .join('\n'),
  );
  return records.sort();
}

describe.concurrent("jeprof's spellings mean what they mean to jeprof", () => {
  it.each(SPELLINGS.map((s) => [s.args.join(' '), s] as const))('%s', async (_shown, s) => {
    const args = expand(s.args);
    const [want, got] = await Promise.all([jeprof(args), jeprofTs(args)]);
    const shown = `${s.args.join(' ')} (${s.why})`;
    if (s.compare === 'fail') {
      expect(want.code, `jeprof fails on ${shown}`).not.toBe(0);
      expect(got.code, `jeprof-ts fails on ${shown}`).not.toBe(0);
      expect(got.stdout).toBe('');
      return;
    }
    if (s.compare === 'own') {
      const [wantSame, gotSame] = await Promise.all([jeprof(s.same ?? []), jeprofTs(s.same ?? [])]);
      expect(want, `jeprof: ${shown}`).toEqual(wantSame);
      expect(got, `jeprof-ts: ${shown}`).toEqual(gotSame);
      expect(got.code).toBe(0);
      return;
    }
    expect(got.code === 0, `${shown}: jeprof exited ${want.code}, jeprof-ts ${got.code}`).toBe(want.code === 0);
    if (s.compare === 'exact') expect(got.stdout, shown).toBe(want.stdout);
    if (s.compare === 'lines') expect(sortedLines(got.stdout), shown).toEqual(sortedLines(want.stdout));
    if (s.compare === 'callgrind') expect(callgrindRecords(got.stdout), shown).toEqual(callgrindRecords(want.stdout));
    if (s.compare === 'magic') {
      expect(want.stdout.length, shown).toBeGreaterThan(100);
      expect(got.stdout.slice(0, 5), shown).toBe(want.stdout.slice(0, 5));
    }
  });
});

describe("jeprof-ts's own -o and --output", () => {
  // Pinned spellings: `-o` is an alias of --output, not a prefix, so an option added later that
  // starts with o cannot make it ambiguous; jeprof has no option starting with o, so no jeprof
  // command line meant anything else by it.
  it.each([[['-o', 'FILE']], [['-o=FILE']], [['--output=FILE']], [['--output', 'FILE']], [['-output', 'FILE']]])('%j writes the report to FILE', async (spelling) => {
    const dir = tempDir('jeprof-ts-spelling-');
    const file = join(dir, 'report.txt');
    const args = ['--text', ...spelling.map((a) => a.replace('FILE', file)), APP, DUMPS.FINAL];
    const [want, r] = await Promise.all([jeprof(args), jeprofTs(args)]);
    expect(want.code, 'jeprof has no such option').not.toBe(0);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(readFileSync(file, 'latin1')).toBe(readFileSync(join(where, 'refs', 'text.stdout'), 'latin1'));
  });
});
