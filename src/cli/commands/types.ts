// What a command is to the CLI: one descriptor per command, in the registry (commands/index.ts).
// Options, subcommands, --help, lazy loading and jeprof's mode flags are all made from these.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import type { RunDeps } from '../load.js';
import type { OutputMode, RunOptions } from '../options.js';

export interface CommandEnv {
  io: CliIO;
  deps: RunDeps;
}

/**
 * One of jeprof's output modes: jeprof's options in jeprof's spelling (unique prefixes, one or two
 * dashes, `--noX`), picked by its flag (`--text`) on jeprof's command line, or by its name as a
 * subcommand (`jeprof-ts top`).
 */
export interface JeprofCommand {
  kind: 'jeprof';
  name: string;
  /** jeprof's flag for this mode. */
  flag: OutputMode;
  /** One line for --help. */
  summary: string;
  example: string;
  /** --list and --disasm: the subcommand takes the routine regexp as its first argument. */
  takesRegexp?: boolean;
  /** Runs with the options checked once (options.ts); the exit code. Loads its code when called. */
  run(o: RunOptions, env: CommandEnv): Promise<number>;
}

/**
 * A command of jeprof-ts's own: options of its own, parsed as commander parses them (no jeprof
 * prefixes), so adding one can never change how a jeprof command line is read.
 */
export interface OwnCommand {
  kind: 'own';
  name: string;
  summary: string;
  /** Declares the command's arguments, options and help on `cmd`; its action sets `result.code`. */
  define(cmd: Command, env: CommandEnv, result: { code: number }): void;
}

export type CommandDescriptor = JeprofCommand | OwnCommand;
