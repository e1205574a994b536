// Colour for jeprof-ts's own terminal output (trend's table). Its own file, imported when a table
// is drawn: chalk and the node:tty it loads cost every run of jeprof-ts 2 to 3 ms at start.
import { Chalk, type ChalkInstance } from 'chalk';
import type { CliIO } from './io.js';

/** chalk at the level the user and the environment ask for: --no-color/NO_COLOR off, --color/FORCE_COLOR on, else on at a terminal. */
export function chalkFor(opts: { color?: boolean }, io: CliIO): ChalkInstance {
  const env = io.env;
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  let on: boolean;
  if (opts.color === false || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) on = false;
  else if (opts.color === true || forced) on = true;
  else on = io.stdoutIsTTY;
  return new Chalk({ level: on ? 1 : 0 });
}
