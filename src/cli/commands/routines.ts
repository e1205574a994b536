// `list` / `disasm` (jeprof --list, --disasm): annotated source or disassembly of the routines whose
// names match a regexp, read through nm, objdump and the source files.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FlatCum } from '../../graph/build.js';
import { UsageError } from '../../model/errors.js';
import type { ReportOutput } from '../../report/report-output.js';
import { createRoutineContext, perlLines, type SourceText } from '../../report/routines.js';
import type { CliIO } from '../io.js';
import { emit } from '../output.js';
import { analyzeTarget, loadSession } from '../pipeline.js';
import type { Session } from '../session.js';
import type { JeprofCommand } from './types.js';

type Mode = 'list' | 'disasm';

/**
 * Runs `use` with a reporter of routines matching a regexp, on one context of routines and sources
 * (shared by every target and closed after); undefined when the profile was read without a program.
 */
export async function withRoutines<T>(s: Session, io: CliIO, use: (report: (mode: Mode, re: RegExp, fc: FlatCum) => Promise<ReportOutput>) => Promise<T>): Promise<T | undefined> {
  const ctx = routineContext(s, io);
  if (!ctx) return undefined;
  try {
    const { listRoutines } = await import('../../report/list.js');
    const { disasmRoutines } = await import('../../report/disasm.js');
    return await use((mode, re, fc) => (mode === 'list' ? listRoutines : disasmRoutines)(ctx, re, fc));
  } finally {
    ctx.close();
  }
}

/** What --list/--disasm (and the shell's list/disasm) read routines and sources through; undefined for symbolized profiles. */
function routineContext(s: Session, io: CliIO): ReturnType<typeof createRoutineContext> | undefined {
  const tool = s.run.tool;
  if (!tool) return undefined;
  return createRoutineContext({ libraries: s.run.libraries, tool, units: s.units, readSource: (p) => readSourceFile(p, io.cwd) });
}

const STRERROR: Record<string, string> = { ENOENT: 'No such file or directory', EACCES: 'Permission denied', ENOTDIR: 'Not a directory', ELOOP: 'Too many levels of symbolic links', ENAMETOOLONG: 'File name too long' };

/** A source file as jeprof's `open(FILE, "<$f")` sees it: name trimmed, relative to the cwd; a directory reads as empty. */
function readSourceFile(name: string, cwd: string): SourceText {
  const path = name.trim();
  if (path === '') return { error: STRERROR.ENOENT };
  try {
    return { lines: perlLines(readFileSync(resolve(cwd, path), 'utf8')) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    return code === 'EISDIR' ? { lines: [] } : { error: STRERROR[code] ?? (e as Error).message };
  }
}

function routineCommand(mode: Mode, summary: string, example: string): JeprofCommand {
  return {
    kind: 'jeprof',
    name: mode,
    flag: mode,
    takesRegexp: true,
    summary,
    example,
    async run(o, env) {
      const s = await loadSession(o, env);
      const tool = s.run.tool;
      if (!tool) {
        if (mode === 'disasm') throw new UsageError('--disasm cannot be used without a binary');
        return emit(o.output, env.io, '');
      }
      const seen = tool.problems.length;
      const out = await withRoutines(s, env.io, async (report) => {
        let text = '';
        for (const t of s.targets) {
          const r = await report(mode, o.routineRegexp!, analyzeTarget(s, t, env.io, 'address-only').flatCum);
          for (const line of r.stderr) env.io.stderr(line + '\n');
          text += r.stdout;
        }
        return text;
      });
      if (o.warnings) for (const p of tool.problems.slice(seen)) env.io.stderr(`jeprof-ts: warning: ${p}\n`);
      return emit(o.output, env.io, out ?? '');
    },
  };
}

export const list = routineCommand('list', 'annotated source of the routines matching <regexp> (jeprof --list)', 'jeprof-ts list add_to_map ./server x.heap');
export const disasm = routineCommand('disasm', 'annotated disassembly of the routines matching <regexp> (jeprof --disasm)', 'jeprof-ts disasm add_to_map ./server x.heap');
