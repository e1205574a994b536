// `jeprof-ts proto` / `--proto`: a run's reports as one gzipped profile.proto (issue 19).
import type { Location, Mapping, Profile } from '../model/profile.js';
import type { Library } from '../symbolize/libraries.js';
import type { ObjTool } from '../symbolize/objtool.js';
import { gzipPprof } from './gzip.js';
import { exportReport, type StackFilters } from './export-stacks.js';
import { mangledNames } from './mangled-names.js';
import { pprofPieces } from './to-pprof.js';

export interface RunExport {
  /** All profiles summed, minus --base. */
  main: Profile;
  /** The first profile alone: --thread reports come from its per-thread rows, as in jeprof. */
  first: Profile;
  kind: 'heap' | 'growth';
  program: string;
  /** Every PC of the run, in table order. */
  locations: readonly Location[];
  /** The run's libraries (where each mapping's file was found here); the catch-all program entry last. */
  libraries: readonly Library[];
  tool?: Pick<ObjTool, 'elfInfo'>;
  /** The reports `top` would print: one, or one per selected thread with --thread. */
  targets: readonly { thread?: string }[];
  filters: StackFilters;
  /** The chosen sample type (--inuse_space, ...): pprof's default_sample_type. */
  sampleType: string;
  comments: readonly string[];
  timeNanos: bigint;
  /** The Totals a jeprof-ts export that was read back carried (thread uid or '' -> per sample type): they stay. */
  totals?: ReadonlyMap<string, readonly number[]>;
  /** Called as each step of the export ends (JEPROF_TS_PHASES shows where an export's time goes). */
  phase?: (name: string) => void;
}

/**
 * The run as a gzipped pprof profile, in pieces to be written as they come: each piece of the
 * protobuf (see pprofPieces) is one gzip member, compressed on libuv's thread pool while the next
 * piece is encoded, and a file of several members is one gzip file (RFC 1952; Go's reader,
 * pprof's, Pyroscope's and Parca's, reads them as one, as gunzip does). A small profile is one
 * piece, one member. Nothing is made until the pieces are asked for.
 */
export function* exportRun(r: RunExport): Generator<Promise<Uint8Array>> {
  const reports = r.targets.map((t) => {
    const report = exportReport(t.thread === undefined ? r.main : r.first, t.thread, r.filters);
    return { ...report, totals: r.totals?.get(t.thread ?? '') ?? report.totals };
  });
  r.phase?.('export-stacks');
  // The file each mapping was read from here (--map-path, --lib_prefix): where its build id is.
  const fileOf = new Map<Mapping, string>();
  for (const lib of r.libraries) if (lib.mapping) fileOf.set(lib.mapping, lib.foundPath);
  const program = r.libraries.at(-1)?.foundPath;
  const mainMapping = r.libraries.find((l) => l.mapping && l.foundPath === program)?.mapping;
  // Where a PC's names came from: its mapping's library, else the catch-all program entry.
  const libraryOf = new Map<Mapping, Library>();
  for (const lib of r.libraries) if (lib.mapping) libraryOf.set(lib.mapping, lib);
  const programLib = r.libraries.at(-1);
  const mangledName = mangledNames(r.locations, (loc) => (loc.mapping ? libraryOf.get(loc.mapping) : programLib)?.path);
  r.phase?.('export-names');
  const buildId = (m: Mapping) => {
    if (m.buildId) return m.buildId;
    const file = fileOf.get(m);
    return file === undefined ? undefined : r.tool?.elfInfo(file)?.buildId;
  };
  const pieces = pprofPieces({
    sampleTypes: r.main.sampleTypes,
    defaultSampleType: r.sampleType,
    period: r.main.period,
    kind: r.kind,
    program: r.program,
    locations: r.locations,
    reports,
    mainMapping,
    buildId,
    mangledName,
    comments: r.comments,
    timeNanos: r.timeNanos,
  });
  for (const raw of pieces) yield gzipPprof(raw);
  // Encoded, compressed and written piece by piece: one phase.
  r.phase?.('export-encode');
}
