// The pipeline: parse -> sum and --base -> symbolize -> filter -> graph -> report (jeprof's main).
import { resolve } from 'node:path';
import { analyze } from '../graph/analyze.js';
import { disambiguationMap, type Granularity } from '../graph/granularity.js';
import { stacksOf } from '../graph/stacks.js';
import { JeprofError } from '../model/errors.js';
import { LocationTable } from '../model/locations.js';
import { merge, subtract } from '../model/merge.js';
import { sampleTypeIndex, THREAD_LABEL, type Location } from '../model/profile.js';
import { parseProfileText, type HeapFile } from '../parse/index.js';
import { parseMappedLibraries } from '../parse/proc-maps.js';
import { reporters, type FormatName } from '../report/index.js';
import type { DotOptions } from '../report/dot.js';
import { renderGraph } from './graphviz.js';
import { writeFileAtomic } from './output.js';
import { Binutils, resolveTools } from '../symbolize/binutils.js';
import { buildLibraries } from '../symbolize/libraries.js';
import type { ObjTool } from '../symbolize/objtool.js';
import { symbolizeLocations } from '../symbolize/symbolizer.js';
import { checkProgram, readProfile, requireRegularFile } from './files.js';
import type { CliIO } from './io.js';
import type { RunOptions } from './options.js';

export interface RunDeps {
  /** Overrides the binutils (tests use a fake). */
  objTool?: ObjTool;
}

/** Perl's numeric value of a string: its leading number, else 0 ("1.0" == 1, "foo" == 0). */
function perlNumber(s: string): number {
  const m = /^\s*([-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?))/.exec(s);
  return m ? Number(m[1]) : 0;
}

function rewriter(mapPaths: RunOptions['mapPaths'], cwd: string): (p: string) => string {
  if (mapPaths.length === 0) return (p) => p;
  const rules = mapPaths.map((r) => ({ from: r.from.replace(/\/+$/, ''), to: resolve(cwd, r.to).replace(/\/+$/, '') }));
  return (p) => {
    for (const r of rules) {
      if (p === r.from || p.startsWith(r.from + '/')) return r.to + p.slice(r.from.length);
    }
    return p;
  };
}

export async function runReport(o: RunOptions, io: CliIO, deps: RunDeps = {}): Promise<number> {
  const warn = (msg: string) => {
    if (o.warnings) io.stderr(`jeprof-ts: warning: ${msg}\n`);
  };
  const programPath = checkProgram(o.program, io.cwd);
  // Every named file is checked before any is read, so a typo costs no symbolization time.
  for (const p of o.profiles) requireRegularFile(p, io.cwd, 'profile');
  if (o.base) requireRegularFile(o.base, io.cwd, 'base profile');
  io.stderr(`Using local file ${o.program}.\n`);

  const table = new LocationTable();
  const read = (name: string, what: 'profile' | 'base profile'): HeapFile => {
    const f = parseProfileText(readProfile(name, io.cwd, what), name, table);
    for (const n of f.notices) io.stderr(n + '\n');
    for (const w of f.warnings.slice(0, 10)) warn(w);
    if (f.warnings.length > 10) warn(`${name}: ${f.warnings.length - 10} more problems not shown`);
    return f;
  };
  const files: HeapFile[] = [];
  for (const p of o.profiles) {
    io.stderr(`Using local file ${p}.\n`);
    files.push(read(p, 'profile'));
  }
  const base = o.base ? read(o.base, 'base profile') : undefined;
  const first = files[0];

  const tool = deps.objTool ?? new Binutils(resolveToolsOrThrow(o.tools));
  const mappings = parseMappedLibraries(first.mapText, programPath, rewriter(o.mapPaths, io.cwd));
  const addLib = o.addLib ? resolve(io.cwd, o.addLib) : undefined;
  const libraries = buildLibraries(mappings, { program: programPath, libPrefixes: o.libPrefixes, addLib, maxPc: first.maxAddress, debugByBuildId: o.debugSymsById }, tool);
  await symbolizeLocations(table.all, libraries, tool);
  for (const p of tool.problems) warn(p);
  if (o.strictTools && tool.problems.length > 0) throw new JeprofError('symbolization was incomplete and --strict-tools is set');

  let main = files.length > 1 ? merge(files.map((f) => f.profile)) : first.profile;
  if (base) main = subtract(main, base.profile, o.dropNegative);

  const sampleIndex = sampleTypeIndex(main, o.sampleType);
  const renames = disambiguationMap(table.all);
  const runIds = new Map<string, number>();
  const display = displayKey(table);
  const units = { kind: o.sampleType.endsWith('objects') ? ('objects' as const) : ('bytes' as const), showBytes: o.showBytes };
  const format: FormatName = o.mode === 'svg' || o.mode === 'pdf' || o.mode === 'ps' || o.mode === 'gif' ? 'dot' : o.mode;
  const dot: DotOptions = {
    program: o.program,
    nodeCount: o.nodeCount,
    nodeFraction: o.nodeFraction,
    edgeFraction: o.edgeFraction,
    maxDegree: o.maxDegree,
    heapcheck: o.heapcheck,
    svgWidths: o.mode === 'svg',
    pageSize: o.mode === 'pdf',
  };
  const outputs: string[] = [];
  const report = (stacks: ReturnType<typeof stacksOf>, thread?: string) => {
    const translate = { granularity: o.granularity as Granularity, renames, runIds };
    const analysis = analyze(stacks, { ...translate, focus: o.focus, ignore: o.ignore, retain: o.retain, exclude: o.exclude });
    const r = reporters[format]({ analysis, thread, units, sortByCum: o.cum, display, translate, dot });
    for (const line of r.stderr) io.stderr(line + '\n');
    outputs.push(r.stdout);
  };

  if (o.thread === undefined) {
    report(stacksOf(main, sampleIndex));
  } else {
    // jeprof's per-thread reports use the first profile's rows only, without --base or other profiles.
    const threads = [...new Set(first.profile.samples.map((s) => s.labels.get(THREAD_LABEL)).filter((t): t is string => t !== undefined))];
    threads.sort((a, b) => Number(a) - Number(b));
    for (const t of threads) {
      if (o.thread === '*' || perlNumber(o.thread) === Number(t)) report(stacksOf(first.profile, sampleIndex, t), t);
    }
  }

  let data: string | Uint8Array = outputs.join('');
  if (o.mode === 'svg' || o.mode === 'pdf' || o.mode === 'ps' || o.mode === 'gif') {
    const mode = o.mode;
    data = Buffer.concat(await Promise.all(outputs.map((g) => renderGraph(g, mode))));
  }
  if (o.output) writeFileAtomic(o.output, io.cwd, data);
  else io.stdout(data);
  return 0;
}

function resolveToolsOrThrow(tools: string) {
  try {
    return resolveTools(tools);
  } catch (e) {
    throw new JeprofError((e as Error).message);
  }
}

/** A key that is a bare 16-hex address of a named PC prints as `name file:line` (jeprof's PrintText). */
function displayKey(table: LocationTable): (key: string) => string {
  return (key) => {
    if (key.length !== 16 || !/^[0-9a-f]{16}$/.test(key)) return key;
    const loc: Location | undefined = table.find(BigInt('0x' + key));
    if (!loc || loc.lines.length === 0) return key;
    return `${loc.lines[0].func.name} ${loc.lines[0].fileLine}`;
  };
}
