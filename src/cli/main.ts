// The command line, made from the command registry (commands/index.ts): jeprof's own spelling
// (`jeprof-ts --text prog x.heap`), jeprof's modes as subcommands (`jeprof-ts top prog x.heap`),
// and jeprof-ts's own commands with their own options. Returns the exit code; never exits.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { JeprofError, UsageError } from '../model/errors.js';
import { printable } from '../report/printable.js';
import { COMMANDS, commandNamed, commandOfMode, MODE_FLAGS, OWN_MODE_FLAGS } from './commands/index.js';
import type { CommandEnv, JeprofCommand, OwnCommand } from './commands/types.js';
import { demoArgs } from './demo.js';
import { HELP_EXAMPLES, OPTION_HELP } from './help.js';
import { processIO, type CliIO } from './io.js';
import { normalizeJeprofArgs, OPTION_KINDS } from './jeprof-options.js';
import type { RunDeps } from './load.js';
import { buildRunOptions, type RawOptions } from './options.js';

export const EXIT = { ok: 0, usage: 1, error: 2, unexpected: 3 } as const;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** jeprof's option table on a command, less `omit`; jeprof-ts's own options are shown in --help, jeprof's silent ones hidden. */
function addJeprofOptions(cmd: Command, omit: readonly string[] = []): Command {
  // jeprof-ts's commands spelled as jeprof modes bring their flags, explained by their summary.
  const modes = OWN_MODE_FLAGS.map((f) => [f, 'flag', commandOfMode(f).summary] as const);
  for (const [name, kind, summary] of [...Object.entries(OPTION_KINDS).map(([n, k]) => [n, k, undefined] as const), ...modes]) {
    if (omit.includes(name) || name === 'help' || name === 'version') continue;
    const help = OPTION_HELP[name] ?? summary;
    const flag = kind === 'flag' ? `--${name}` : `--${name} <${kind === 'string' ? 'value' : 'n'}>`;
    const opt = new Option(flag, help ?? '');
    if (!help) opt.hideHelp();
    cmd.addOption(opt);
  }
  return cmd;
}

type Out = { writeOut: (s: string) => void; writeErr: (s: string) => void; outputError: (s: string, write: (s: string) => void) => void };

/**
 * Commander's own usage errors (a subcommand's missing argument, an unknown `cache` option) in the
 * one line every other error has: `error: X` plus a `(Did you mean Y?)` line became two lines
 * without the `jeprof-ts:` prefix, and echoed the user's text with its control characters raw.
 */
function commanderErrorLine(s: string, hint: string): string {
  const text = s.trim().replace(/^error: /, '').replace(/\n\(Did you mean (.*)\?\)$/, '; did you mean $1?');
  return `jeprof-ts: ${printable(text)} (see '${hint}')\n`;
}

/** Where a usage error sends the user: the command's own help when the command line names one. */
function helpHint(argv: readonly string[]): string {
  return commandNamed(argv[0]) ? `jeprof-ts ${argv[0]} --help` : 'jeprof-ts --help';
}

function subcommand(name: string, summary: string, out: Out): Command {
  return new Command(name).description(summary).configureOutput(out).exitOverride().helpOption('--help', 'show this help');
}

/** A jeprof mode as a subcommand: jeprof's options but the mode flags, `<regexp>` first for list/disasm. */
function jeprofSubcommand(c: JeprofCommand, env: CommandEnv, result: { code: number }, out: Out): Command {
  const cmd = subcommand(c.name, c.summary, out);
  if (c.takesRegexp) cmd.argument('<regexp>', 'routines whose names match this regular expression');
  cmd
    .argument('[program]', 'the profiled executable (leave out for a symbolized profile)')
    .argument('[profiles...]', 'heap profiles; several are added together')
    .allowExcessArguments(true)
    .addHelpText('after', `\nExample:\n  ${c.example}\n`);
  // --json belongs to top alone among jeprof's modes.
  addJeprofOptions(cmd, c.flag === 'text' ? MODE_FLAGS : [...MODE_FLAGS, 'json']);
  cmd.action(async (...args: unknown[]) => {
    // commander passes the declared arguments, then the options and the command.
    const declared = args.slice(0, c.takesRegexp ? 3 : 2) as (string | string[] | undefined)[];
    const opts = args[declared.length] as RawOptions;
    const regexp = c.takesRegexp ? (declared.shift() as string) : undefined;
    const positionals = declared.flat().filter((x): x is string => x !== undefined);
    const o = buildRunOptions({ ...opts, [c.flag]: regexp ?? true }, positionals, env.io.env, false, MODE_FLAGS);
    o.subcommand = true;
    result.code = await c.run(o, env);
  });
  return cmd;
}

function ownSubcommand(c: OwnCommand, env: CommandEnv, result: { code: number }, out: Out): Command {
  const cmd = subcommand(c.name, c.summary, out);
  c.define(cmd, env, result);
  return cmd;
}

function buildProgram(env: CommandEnv, result: { code: number }, args: readonly string[]): Command {
  const io = env.io;
  const out: Out = { writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s), outputError: (s, write) => write(commanderErrorLine(s, helpHint(args))) };
  const program = new Command('jeprof-ts');
  program
    .description("Analyze jemalloc heap profiles: jeprof's reports, the same numbers, faster.")
    .usage("[options] <program> <profiles...>   (jeprof's own spelling)\n       jeprof-ts <command> [options] <program> <profiles...>")
    .version(packageVersion(), '--version', 'print the version and exit')
    .helpOption('--help', 'show this help')
    .configureOutput(out)
    .exitOverride()
    .enablePositionalOptions()
    .allowExcessArguments(true)
    .argument('[program]', 'the profiled executable (the binary the dumps came from)')
    .argument('[profiles...]', 'jeprof.<pid>.<seq>.<i|m|f><n>.heap files; several are added together')
    .addHelpText('after', HELP_EXAMPLES);
  addJeprofOptions(program);
  program.action(async (prog: string | undefined, profiles: string[], opts: RawOptions) => {
    const o = buildRunOptions(opts, [prog, ...profiles].filter((x): x is string => x !== undefined), io.env, io.stdoutIsTTY, MODE_FLAGS);
    result.code = await commandOfMode(o.mode).run(o, env);
  });
  // Each jeprof subcommand carries all ~60 options, costly to build. A command line that neither
  // names one nor asks for --help cannot reach them (the program has an action, so commander adds no `help`).
  const reachable = args.some((a) => a === '--help' || commandNamed(a) !== undefined);
  for (const c of reachable ? COMMANDS : []) {
    program.addCommand(c.kind === 'jeprof' ? jeprofSubcommand(c, env, result, out) : ownSubcommand(c, env, result, out));
  }
  return program;
}

/** Runs the CLI. Exit codes: 0 ok, 1 usage error, 2 bad input or tool failure, 3 bug; a command may add its own (documented in its help). */
export async function main(argv: readonly string[], io: CliIO = processIO(), deps: RunDeps = {}): Promise<number> {
  const result = { code: EXIT.ok };
  try {
    // jeprof's spelling rules are for jeprof's options; a command of jeprof-ts's own parses its own.
    const own = commandNamed(argv[0])?.kind === 'own';
    const args = own ? [...argv] : normalizeJeprofArgs(argv, OWN_MODE_FLAGS);
    if (!own && args.includes('--demo')) args.splice(args.indexOf('--demo'), 1, ...demoArgs());
    await buildProgram({ io, deps }, result, args).parseAsync(args, { from: 'user' });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof UsageError) {
      io.stderr(`jeprof-ts: ${printable(e.message)} (see '${helpHint(argv)}')\n`);
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
