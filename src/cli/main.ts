// The command line: jeprof's own spelling (`jeprof-ts --text prog x.heap`) and subcommands
// (`jeprof-ts top prog x.heap`), both through commander. Returns the exit code; never exits.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { JeprofError, UsageError } from '../model/errors.js';
import { processIO, type CliIO } from './io.js';
import { printable } from '../report/printable.js';
import { normalizeJeprofArgs, OPTION_KINDS } from './jeprof-options.js';
import { buildRunOptions, type RawOptions, type RunOptions } from './options.js';
import type { RunDeps } from './run.js';
import { HELP_EXAMPLES, OPTION_HELP } from './help.js';

export const EXIT = { ok: 0, usage: 1, error: 2, unexpected: 3 } as const;

/** The pipeline is loaded only when a report is asked for: --help, --version and usage errors never compile it. */
async function runReport(o: RunOptions, io: CliIO, deps: RunDeps): Promise<number> {
  return (await import('./run.js')).runReport(o, io, deps);
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function addOptions(cmd: Command, omit: readonly string[] = []): Command {
  for (const [name, kind] of Object.entries(OPTION_KINDS)) {
    if (omit.includes(name) || name === 'help' || name === 'version') continue;
    const help = OPTION_HELP[name];
    const flag = kind === 'flag' ? `--${name}` : `--${name} <${kind === 'string' ? 'value' : 'n'}>`;
    const opt = new Option(flag, help ?? '');
    if (!help) opt.hideHelp();
    cmd.addOption(opt);
  }
  return cmd;
}

function buildProgram(io: CliIO, deps: RunDeps, result: { code: number }, args: readonly string[]): Command {
  const program = new Command('jeprof-ts');
  const out = {
    writeOut: (s: string) => io.stdout(s),
    writeErr: (s: string) => io.stderr(s),
  };
  program
    .description('Analyze jemalloc heap profiles: jeprof\'s reports, the same numbers, faster.')
    .usage('[options] <program> <profiles...>   (jeprof\'s own spelling)\n       jeprof-ts <command> [options] <program> <profiles...>')
    .version(packageVersion(), '--version', 'print the version and exit')
    .helpOption('--help', 'show this help')
    .configureOutput(out)
    .exitOverride()
    .enablePositionalOptions()
    .allowExcessArguments(true)
    .argument('[program]', 'the profiled executable (the binary the dumps came from)')
    .argument('[profiles...]', 'jeprof.<pid>.<seq>.<i|m|f><n>.heap files; several are added together')
    .addHelpText('after', HELP_EXAMPLES);
  addOptions(program);
  program.action(async (prog: string | undefined, profiles: string[], opts: RawOptions) => {
    result.code = await runReport(buildRunOptions(opts, [prog, ...profiles].filter((x): x is string => x !== undefined), io.env, io.stdoutIsTTY), io, deps);
  });

  // Each subcommand carries all ~60 options, costly to build. A command line that neither names one
  // nor asks for --help cannot reach them (the program has an action, so commander adds no `help`).
  const reachable = args.some((a) => a === '--help' || a === 'cache' || SUBCOMMANDS.some((sub) => sub.name === a));
  for (const sub of reachable ? SUBCOMMANDS : []) {
    const cmd = new Command(sub.name).description(sub.description);
    if (sub.takesRegexp) cmd.argument('<regexp>', 'routines whose names match this regular expression');
    cmd
      .argument('[program]', 'the profiled executable (leave out for a --raw symbolized profile)')
      .argument('[profiles...]', 'heap profiles; several are added together')
      .configureOutput(out)
      .exitOverride()
      .allowExcessArguments(true)
      .helpOption('--help', 'show this help')
      .addHelpText('after', `\nExample:\n  ${sub.example}\n`);
    addOptions(cmd, MODE_FLAGS);
    cmd.action(async (...args: unknown[]) => {
      // commander passes the declared arguments, then the options and the command.
      const declared = args.slice(0, sub.takesRegexp ? 3 : 2) as (string | string[] | undefined)[];
      const opts = args[declared.length] as RawOptions;
      const regexp = sub.takesRegexp ? (declared.shift() as string) : undefined;
      const positionals = declared.flat().filter((x): x is string => x !== undefined);
      const mode: RawOptions = { [sub.flag]: regexp ?? true };
      const o = buildRunOptions({ ...opts, ...mode }, positionals, io.env);
      // jeprof's --raw dies after the symbols; the subcommand is ours and writes the whole file.
      if (sub.name === 'raw') o.wholeRaw = true;
      result.code = await runReport(o, io, deps);
    });
    program.addCommand(cmd);
  }
  if (reachable) program.addCommand(cacheCommand(io, result, out));
  return program;
}

/** `jeprof-ts cache [clear]`: the symbol cache's place, contents and limit; `clear` empties it. */
function cacheCommand(io: CliIO, result: { code: number }, out: { writeOut: (s: string) => void; writeErr: (s: string) => void }): Command {
  return new Command('cache')
    .description('show where the symbol cache is, what it holds and its size limit; `cache clear` empties it')
    .argument('[action]', "'clear' to remove every entry (nothing else in the folder)")
    .option('--json', 'print the figures as one JSON document (schema jeprof-ts/cache/1)')
    .configureOutput(out)
    .exitOverride()
    .helpOption('--help', 'show this help')
    .addHelpText('after', '\nThe cache keeps what nm and addr2line said about each object file ($JEPROF_TS_CACHE, default\n~/.cache/jeprof-ts), so a second run on the same binaries starts no tool. Runs that add to it\nremove the entries used longest ago once it passes $JEPROF_TS_CACHE_SIZE (default 1G).\n\nExamples:\n  jeprof-ts cache\n  jeprof-ts cache clear\n  JEPROF_TS_CACHE=/tmp/syms jeprof-ts cache --json\n')
    .action(async (action: string | undefined, opts: { json?: boolean }) => {
      result.code = await (await import('./cache-command.js')).runCacheCommand(action, !!opts.json, io);
    });
}

const MODE_FLAGS = ['proto', 'text', 'callgrind', 'list', 'disasm', 'symbols', 'gv', 'evince', 'web', 'dot', 'ps', 'pdf', 'svg', 'gif', 'raw', 'collapsed', 'interactive'];

/** The subcommand spelling of each output mode: `jeprof-ts <name> [options] <program> <profiles...>`. */
const SUBCOMMANDS: { name: string; flag: string; description: string; example: string; takesRegexp?: boolean }[] = [
  { name: 'top', flag: 'text', description: 'print the top table (jeprof --text): flat and cumulative memory per function', example: 'jeprof-ts top ./server --base=jeprof.1234.0.i0.heap jeprof.1234.17.i17.heap' },
  { name: 'collapsed', flag: 'collapsed', description: 'folded stacks for flame graphs (jeprof --collapsed)', example: 'jeprof-ts collapsed ./server x.heap | flamegraph.pl > heap.svg' },
  { name: 'callgrind', flag: 'callgrind', description: 'callgrind format for KCachegrind (jeprof --callgrind)', example: 'jeprof-ts callgrind -o heap.callgrind ./server x.heap' },
  { name: 'dot', flag: 'dot', description: 'the call graph in Graphviz dot (jeprof --dot)', example: 'jeprof-ts dot --nodecount=30 ./server x.heap' },
  { name: 'svg', flag: 'svg', description: 'the call graph as SVG (jeprof --svg)', example: 'jeprof-ts svg -o heap.svg ./server x.heap' },
  { name: 'pdf', flag: 'pdf', description: 'the call graph as PDF (jeprof --pdf)', example: 'jeprof-ts pdf -o heap.pdf ./server x.heap' },
  { name: 'ps', flag: 'ps', description: 'the call graph as PostScript (jeprof --ps)', example: 'jeprof-ts ps -o heap.ps ./server x.heap' },
  { name: 'gif', flag: 'gif', description: 'the call graph as GIF (jeprof --gif)', example: 'jeprof-ts gif -o heap.gif ./server x.heap' },
  { name: 'web', flag: 'web', description: 'write the SVG call graph and open it in $BROWSER (jeprof --web)', example: 'BROWSER=firefox jeprof-ts web ./server x.heap' },
  { name: 'list', flag: 'list', takesRegexp: true, description: 'annotated source of the routines matching <regexp> (jeprof --list)', example: 'jeprof-ts list add_to_map ./server x.heap' },
  { name: 'disasm', flag: 'disasm', takesRegexp: true, description: 'annotated disassembly of the routines matching <regexp> (jeprof --disasm)', example: 'jeprof-ts disasm add_to_map ./server x.heap' },
  { name: 'raw', flag: 'raw', description: 'a symbolized profile, readable later without the program (what jeprof --raw does for remote profiles only)', example: 'jeprof-ts raw ./server x.heap > x.raw && jeprof-ts top x.raw' },
  { name: 'proto', flag: 'proto', description: "the report's stacks as a gzipped pprof profile.proto, for go tool pprof, Pyroscope, Parca", example: 'jeprof-ts proto ./server x.heap -o heap.pb.gz && go tool pprof -http=:8080 heap.pb.gz' },
  { name: 'shell', flag: 'interactive', description: "jeprof's interactive shell (jeprof --interactive)", example: "printf 'top20\\n' | jeprof-ts shell ./server x.heap" },
];

/** Runs the CLI. Exit codes: 0 ok, 1 usage error, 2 bad input or tool failure, 3 bug. */
export async function main(argv: readonly string[], io: CliIO = processIO(), deps: RunDeps = {}): Promise<number> {
  const result = { code: EXIT.ok };
  try {
    // jeprof's spelling rules are for jeprof's options; `cache` has options of its own.
    const args = argv[0] === 'cache' ? [...argv] : normalizeJeprofArgs(argv);
    if (args.includes('--demo')) args.splice(args.indexOf('--demo'), 1, ...demoArgs());
    await buildProgram(io, deps, result, args).parseAsync(args, { from: 'user' });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof UsageError) {
      io.stderr(`jeprof-ts: ${printable(e.message)} (see 'jeprof-ts --help')\n`);
      return EXIT.usage;
    }
    if (e instanceof JeprofError) {
      io.stderr(`jeprof-ts: ${printable(e.message)}\n`);
      return EXIT.error;
    }
    io.stderr(`jeprof-ts: internal error, please report it: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.unexpected;
  }
}

/** `--demo`: the bundled real profile (see fixtures/demo/demo.json), its program found through --map-path. */
function demoArgs(): string[] {
  const demo = new URL('../../fixtures/demo/', import.meta.url);
  const m = JSON.parse(readFileSync(new URL('demo.json', demo), 'utf8')) as { profileRoot: string; localRoot: string; program: string; base: string; profile: string };
  const root = new URL(m.localRoot.replace(/\/?$/, '/'), demo).pathname;
  return [`--map-path=${m.profileRoot}=${root}`, `--base=${root}${m.base}`, root + m.program, root + m.profile];
}
