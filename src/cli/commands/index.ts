// The registry: every command of jeprof-ts, in the order --help lists them. A new command is one
// file in this folder plus one entry here; options, subcommands, help and jeprof's mode flags
// come from the descriptors (see types.ts).
import { cache } from './cache.js';
import { check } from './check.js';
import { doctor } from './doctor.js';
import { record } from './record.js';
import { callgrind } from './callgrind.js';
import { collapsed } from './collapsed.js';
import { dot, evince, gif, gv, pdf, ps, svg, web } from './graph.js';
import { proto } from './proto.js';
import { html } from './html.js';
import { raw } from './raw.js';
import { disasm, list } from './routines.js';
import { shell } from './shell.js';
import { symbols } from './symbols.js';
import { top } from './top.js';
import { trend } from './trend.js';
import type { CommandDescriptor, JeprofCommand } from './types.js';
import type { OutputMode } from '../options.js';
import { isJeprofOption } from '../jeprof-options.js';

export const COMMANDS: readonly CommandDescriptor[] = [top, collapsed, callgrind, dot, svg, pdf, ps, gif, web, gv, evince, list, disasm, raw, proto, html, symbols, shell, trend, check, cache, record, doctor];

/** The command named `name` (a subcommand), if there is one. */
export function commandNamed(name: string | undefined): CommandDescriptor | undefined {
  return name === undefined ? undefined : COMMANDS.find((c) => c.name === name);
}

/** The jeprof mode a flag selects (`text` -> top). */
export function commandOfMode(mode: OutputMode): JeprofCommand {
  const c = COMMANDS.find((x): x is JeprofCommand => x.kind === 'jeprof' && x.flag === mode);
  if (!c) throw new Error(`no command for mode ${mode}`);
  return c;
}

/** jeprof's mode flags, each one command's. */
export const MODE_FLAGS: readonly OutputMode[] = COMMANDS.flatMap((c) => (c.kind === 'jeprof' ? [c.flag] : []));

/** The mode flags of jeprof-ts's own commands spelled as jeprof modes (`--proto`, `--html`): options jeprof does not have. */
export const OWN_MODE_FLAGS: readonly OutputMode[] = MODE_FLAGS.filter((f) => !isJeprofOption(f));
