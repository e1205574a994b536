// `jeprof-ts proto` / `--proto`: writes the run as a gzipped pprof profile (src/pprof/export.ts)
// to -o FILE or to stdout, never to a terminal.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../model/errors.js';
import { exportRun } from '../pprof/export.js';
import type { CliIO } from './io.js';
import { emitPaced } from './output.js';
import { phaseDone } from './phases.js';
import type { Session } from './session.js';

export async function emitProto(s: Session, io: CliIO): Promise<number> {
  const { o, run } = s;
  if (!o.output && io.stdoutIsTTY) throw new UsageError('--proto writes binary data: give -o FILE (e.g. -o heap.pb.gz) or redirect stdout');
  const names = run.files.map((f) => f.file);
  // pprof's time_nanos: when the profile was taken; a dump's mtime is when jemalloc wrote it.
  let newest = 0n;
  for (const n of names) newest = bigMax(newest, statSync(resolve(io.cwd, n), { bigint: true }).mtimeNs);
  // Pieces, made as they are written (see exportRun).
  const pieces = exportRun({
    main: run.main,
    first: run.first.profile,
    kind: run.first.kind,
    program: run.programName,
    locations: run.table.all,
    libraries: run.libraries,
    tool: run.tool,
    targets: s.targets,
    filters: o,
    sampleType: o.sampleType,
    comments: [
      `jeprof-ts ${packageVersion()}`,
      `program: ${run.programName}`,
      ...names.map((n) => `profile: ${n}`),
      ...(o.base ? [`base: ${o.base}${o.dropNegative ? ' (--drop_negative)' : ''}`] : []),
      ...optionComments(s),
    ],
    timeNanos: newest,
    totals: run.totals,
    phase: (name) => phaseDone(name, io.stderr),
  });
  const status = await emitPaced(o.output, io, pieces);
  phaseDone('write', io.stderr);
  return status;
}

/** The options that shaped the stacks, as typed, so a reader knows what the file holds. */
function optionComments(s: Session): string[] {
  const o = s.o;
  const out = [`sample type: ${o.sampleType}`];
  if (o.thread !== undefined) out.push(`thread: ${o.thread}`);
  for (const k of ['focus', 'ignore', 'retain', 'exclude'] as const) if (o[k]) out.push(`${k}: ${o[k]!.source}`);
  return out;
}

function bigMax(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
