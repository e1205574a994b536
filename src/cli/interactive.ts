// jeprof's interactive shell: `(jeprof) ` prompt on stderr, top/list/disasm/callgrind/web/...
// Line editing and history when stdin is a terminal; plain lines from a pipe.
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flatAndCumOf } from '../graph/build.js';
import { focusStacks, ignoreStacks } from '../graph/filter.js';
import { filterStacks } from '../graph/analyze.js';
import type { Granularity } from '../graph/granularity.js';
import { totalOf, type Stack } from '../graph/stacks.js';
import { JeprofError } from '../model/errors.js';
import { extractCalls, renderCallgrind } from '../report/callgrind.js';
import { formatFixed } from '../report/printf.js';
import { renderTopRows, topReport } from '../report/top.js';
import { unparse, units } from '../report/units.js';
import { dotOf, showGraph } from './commands/graph.js';
import { withRoutines } from './commands/routines.js';
import type { CliIO } from './io.js';
import { writeFileAtomic } from './output.js';
import { translateContext, type Session } from './session.js';

export const INTERACTIVE_HELP = `Interactive jeprof-ts mode (the commands of jeprof's shell)

Commands:
  top [--cum] [--lines] [-ignore1] [-ignore2]
  top20 [--cum] [-ignore1] ...
  list <routine_regexp> [-ignore1] ...
  disasm <routine_regexp> [-ignore1] ...
      Annotated source / disassembly of the routines whose names match.
      The top table: the 10 (or N) largest rows by flat value, or by cumulative
      value with --cum. Words starting with '-' are regexps: stacks with a
      frame matching any of them are left out.
  web | gv | evince [focus] [-ignore1] ...
      The call graph as SVG / PostScript / PDF, written to a file whose path is
      printed, and opened with $BROWSER / gv / evince. Words without '-' are
      focus regexps: only stacks with a matching frame are shown.
  callgrind [file]
      Write the profile in callgrind format (for kcachegrind) to file, or to a
      temporary file whose path is printed.
  help    this text
  quit    leave (so does end of input, Ctrl-D)
`;

interface Parsed {
  focus: string;
  ignore: string;
  cum: boolean;
  lines: boolean;
}

/** jeprof's ParseInteractiveArgs: --cum, --lines, -<re> ignores, other words focus. */
function parseArgs(args: string, io: CliIO): Parsed {
  const p: Parsed = { focus: '', ignore: '', cum: false, lines: false };
  for (const a of args.split(/ +/)) {
    if (a === '') continue;
    if (/^(--|-)lines$/.test(a)) p.lines = true;
    else if (/^(--|-)cum$/.test(a)) p.cum = true;
    else if (a.startsWith('-')) p.ignore += (p.ignore ? '|' : '') + a.slice(1);
    else p.focus += (p.focus ? '|' : '') + a;
  }
  if (p.ignore) io.stderr(`Ignoring samples in call stacks that match '${p.ignore}'\n`);
  return p;
}

function regex(re: string): RegExp {
  try {
    return new RegExp(re);
  } catch (e) {
    throw new JeprofError(`'${re}' is not a valid regular expression (${(e as Error).message})`);
  }
}

class Shell {
  private viewCount = 0;

  constructor(
    private readonly s: Session,
    private readonly io: CliIO,
    /** Stacks after allocator-frame removal and the command line's filters, as jeprof hands them over. */
    private readonly stacks: Stack[],
    /** The unfiltered total. */
    private readonly total: number,
  ) {}

  /** jeprof's ProcessProfile: the Total line, then focus/ignore with their share of the total. */
  private process(focus: string, ignore: string): Stack[] {
    const u = this.s.units;
    let out = `Total: ${unparse(this.total, u)} ${units(u)}\n`;
    let stacks = this.stacks;
    const share = (n: number) => formatFixed((n * 100.0) / this.total, 1);
    if (focus) {
      stacks = focusStacks(stacks, regex(focus));
      const n = totalOf(stacks);
      out += `After focusing on '${focus}': ${unparse(n, u)} ${units(u)} of ${unparse(this.total, u)} (${share(n)}%)\n`;
    }
    if (ignore) {
      stacks = ignoreStacks(stacks, regex(ignore));
      const n = totalOf(stacks);
      out += `After ignoring '${ignore}': ${unparse(n, u)} ${units(u)} of ${unparse(this.total, u)} (${share(n)}%)\n`;
    }
    this.io.stdout(out);
    return stacks;
  }

  /** Runs one command line; false means leave the shell. */
  async command(line: string): Promise<boolean> {
    const io = this.io;
    if (/^\s*quit/.test(line)) return false;
    if (/^\s*help/.test(line)) {
      io.stderr(INTERACTIVE_HELP);
      return true;
    }
    let m: RegExpExecArray | null;
    if ((m = /^\s*(text|top)(\d*)\s*(.*)/.exec(line))) {
      const limit = m[2] !== '' ? Number(m[2]) : 10;
      const a = parseArgs(m[3], io);
      // top ignores focus words, as jeprof does.
      const stacks = this.process('', a.ignore);
      const gran: Granularity = a.lines && this.s.o.granularity !== 'addresses' ? 'lines' : this.s.o.granularity;
      const r = topReport(flatAndCumOf(stacks, translateContext(this.s, gran)), this.total, this.s.units, { sortByCum: a.cum, limit });
      // The shell prints the rows only: ProcessProfile printed the Total line already.
      io.stdout(renderTopRows(r.rows, r.flatTotal, r.units));
      return true;
    }
    if ((m = /^\s*(web)?list\s*(.+)/.exec(line)) || (m = /^\s*(disasm)\s*(.+)/.exec(line))) {
      const mode = m[1] === 'disasm' ? 'disasm' : 'list';
      if (m[1] === 'web') {
        io.stderr("weblist is not supported by jeprof-ts: use 'list'.\n");
        return true;
      }
      const a = parseArgs(m[2], io);
      const stacks = this.process('', a.ignore);
      const done = await withRoutines(this.s, io, async (report) => {
        const r = await report(mode, regex(a.focus), flatAndCumOf(stacks, translateContext(this.s, 'address-only')));
        for (const l of r.stderr) io.stderr(l + '\n');
        io.stdout(r.stdout);
        return true;
      });
      if (!done) io.stderr(`${mode} needs the program: this profile was read without one.\n`);
      return true;
    }
    if ((m = /^\s*callgrind\s*([^ \n]*)/.exec(line))) {
      const file = m[1] || join(io.env.JEPROF_TMPDIR ?? tmpdir(), `jeprof-ts.${process.pid}.${this.viewCount++}.callgrind`);
      io.stderr(`Writing callgrind file to '${file}'.\n`);
      writeFileAtomic(file, io.cwd, renderCallgrind(extractCalls(this.stacks)));
      return true;
    }
    if ((m = /^\s*(gv|web|evince)\s*(.*)/.exec(line))) {
      const mode = m[1] as 'gv' | 'web' | 'evince';
      const a = parseArgs(m[2], io);
      const stacks = this.process(a.focus, a.ignore);
      const g = dotOf(this.s, stacks, flatAndCumOf(stacks, translateContext(this.s, this.s.o.granularity)), this.total, mode);
      if (g.notice) io.stderr(g.notice + '\n');
      const format = mode === 'web' ? 'svg' : mode === 'gv' ? 'ps' : 'pdf';
      await showGraph([g.text], format, mode, io, join(io.env.JEPROF_TMPDIR ?? tmpdir(), `jeprof-ts.${process.pid}.${this.viewCount++}.${format}`));
      return true;
    }
    if (/^\s*$/.test(line)) return true;
    io.stderr("Unknown command: try 'help'.\n");
    return true;
  }
}

/** One shell per report target (jeprof runs one per thread with --thread='*'), all on one stdin. */
export async function runInteractive(s: Session, io: CliIO): Promise<number> {
  io.stderr("Welcome to jeprof!  For help, type 'help'.\n");
  const rl = createInterface({ input: io.stdin, output: io.stdinIsTTY ? process.stderr : undefined, terminal: io.stdinIsTTY, historySize: 1000 });
  const lines = rl[Symbol.asyncIterator]();
  rl.setPrompt('(jeprof) ');
  // At a terminal readline draws the prompt (so editing redraws it); from a pipe we write it.
  const prompt = () => (io.stdinIsTTY ? rl.prompt() : io.stderr('(jeprof) '));
  try {
    for (const t of s.targets) {
      // jeprof hands its shell the profile already filtered by the command line's options.
      const stacks = filterStacks(t.stacks, s.o);
      const shell = new Shell(s, io, stacks, t.total ?? totalOf(t.stacks));
      for (;;) {
        prompt();
        const next = await lines.next();
        if (next.done) return 0;
        try {
          if (!(await shell.command(next.value))) break;
        } catch (e) {
          // A bad regexp or a failed viewer ends the command, not the session.
          if (e instanceof JeprofError) io.stderr(`jeprof-ts: ${e.message}\n`);
          else throw e;
        }
      }
    }
    return 0;
  } finally {
    rl.close();
  }
}
