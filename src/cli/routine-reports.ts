// --list and --disasm: each target's annotated source or disassembly of the routines matching the
// regexp, read through nm, objdump and the source files (jeprof's PrintListing / PrintDisassembly).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze } from '../graph/analyze.js';
import { UsageError } from '../model/errors.js';
import { disasmRoutines } from '../report/disasm.js';
import { listRoutines } from '../report/list.js';
import { createRoutineContext, perlLines, type SourceText } from '../report/routines.js';
import type { CliIO } from './io.js';
import { translateContext, type Session } from './run.js';

/** Each target's report on the routines matching the regexp; keys are bare addresses whatever the granularity flag. */
export async function routineReports(s: Session, mode: 'list' | 'disasm', io: CliIO): Promise<string> {
  const tool = s.run.tool;
  if (!tool) {
    if (mode === 'disasm') throw new UsageError('--disasm cannot be used without a binary');
    return '';
  }
  const seen = tool.problems.length;
  const ctx = routineContext(s, io)!;
  let out = '';
  try {
    for (const t of s.targets) {
      const analysis = analyze(t.stacks, { ...translateContext(s, 'address-only'), focus: s.o.focus, ignore: s.o.ignore, retain: s.o.retain, exclude: s.o.exclude });
      const r = await (mode === 'list' ? listRoutines : disasmRoutines)(ctx, s.o.routineRegexp!, analysis.flatCum);
      for (const line of r.stderr) io.stderr(line + '\n');
      out += r.stdout;
    }
  } finally {
    ctx.close();
  }
  if (s.o.warnings) for (const p of tool.problems.slice(seen)) io.stderr(`jeprof-ts: warning: ${p}\n`);
  return out;
}

/** What --list/--disasm (and the shell's list/disasm) read routines and sources through; undefined for symbolized profiles. */
export function routineContext(s: Session, io: CliIO): ReturnType<typeof createRoutineContext> | undefined {
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
