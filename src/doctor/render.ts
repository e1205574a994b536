// The doctor's report as text: a table with colour at a terminal, tab-separated records when
// piped (one per line, greppable), or one JSON document (schema jeprof-ts/doctor/1).
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { groupDigits, humanBytes } from '../report/human.js';
import type { DoctorReport, MappingRow } from './diagnose.js';
import type { DumpFacts } from './dump-facts.js';

export type DoctorFormat = 'table' | 'plain' | 'json';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function buildWord(r: MappingRow): string {
  if (!r.found) return 'file missing';
  return { same: 'same', other: 'another', 'likely-same': 'likely same', unknown: 'unknown' }[r.build?.verdict ?? 'unknown'];
}

function debugWord(r: MappingRow): string {
  const n = r.names;
  if (!n) return '-';
  return n.debug === 'none' ? 'none' : n.debugFile ? `${n.debug}: ${n.debugFile}` : n.debug;
}

function sampling(d: DumpFacts): string {
  if (d.sampleBytes === 0) return 'not sampled';
  const lg = d.lgSample === undefined ? '' : `lg_prof_sample:${d.lgSample}, `;
  return `${lg}one sample per ${humanBytes(d.sampleBytes)} allocated${d.sampleBytes === 1 ? ' (every allocation)' : ''}`;
}

export function renderJson(r: DoctorReport): string {
  const doc = {
    schema: 'jeprof-ts/doctor/1',
    program: r.program,
    profiles: r.profiles,
    mappings: r.mappings.map((m) => ({
      dumpPath: m.dumpPath,
      start: `0x${m.start.toString(16)}`,
      found: m.found ?? null,
      how: m.how,
      isProgram: m.isProgram,
      build: m.build ? { verdict: m.build.verdict, returns: m.build.returns ?? null, layout: m.build.layout ?? null, sameInode: m.build.sameInode ?? null, detail: m.build.detail } : null,
      symbols: m.names?.symbols ?? null,
      debug: m.names ? { place: m.names.debug, file: m.names.debugFile ?? null, buildId: m.names.buildId ?? null, debugLink: m.names.debugLink ?? null, searched: m.names.searched ?? [] } : null,
      pcs: m.pcs,
      unnamedPcs: m.unnamedPcs,
      bytesShare: m.bytesShare,
      unnamedShare: m.unnamedShare,
      advice: m.advice,
    })),
    dumps: r.dumps,
    problems: r.problems,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

export function renderPlain(r: DoctorReport): string {
  const clean = (s: string) => s.replace(/[\t\n]/g, ' ');
  const lines = r.mappings.map((m) =>
    [
      'mapping',
      m.dumpPath,
      `file=${m.found ?? 'missing'}`,
      `how=${m.how}`,
      `build=${m.found ? (m.build?.verdict ?? 'unknown') : 'missing'}`,
      `symbols=${m.names?.symbols ?? '-'}`,
      `debug=${debugWord(m)}`,
      `bytes=${pct(m.bytesShare)}`,
      `unnamed=${pct(m.unnamedShare)}`,
      `unnamed_pcs=${m.unnamedPcs}/${m.pcs}`,
      `todo=${m.advice.join('; ') || '-'}`,
    ]
      .map(clean)
      .join('\t'),
  );
  for (const d of r.dumps) {
    lines.push(['dump', d.file, `sample_bytes=${d.sampleBytes}`, `lg_prof_sample=${d.lgSample ?? '-'}`, `accum=${d.accum ? 'yes' : 'no'}`, `thread_rows=${d.threadRows}`, `threads=${d.threads}`, `stacks=${d.stacks}`, `deepest=${d.deepest}`, `inuse_bytes=${Math.round(d.inuseBytes)}`].map(clean).join('\t'));
  }
  for (const p of r.problems) lines.push(`problem\t${clean(p)}`);
  return lines.join('\n') + '\n';
}

/** Long paths cut into lines of `width` (cli-table3 wraps at word boundaries and cuts a longer word). */
function hardWrap(s: string, width: number): string {
  const out: string[] = [];
  for (const line of s.split('\n')) for (let i = 0; i < Math.max(1, line.length); i += width) out.push(line.slice(i, i + width));
  return out.join('\n');
}

/** The table at a terminal. `level` is chalk's colour level (0 = none), `width` the terminal's columns. */
export function renderTable(r: DoctorReport, level: 0 | 1 | 2 | 3, width = 120): string {
  const c: ChalkInstance = new Chalk({ level });
  const verdictColour = (m: MappingRow, s: string) => (!m.found || m.build?.verdict === 'other' ? c.red(s) : m.build?.verdict === 'same' ? c.green(s) : c.yellow(s));
  // Fixed columns for the short words, the rest shared by the paths and the advice (7 borders).
  const flexible = Math.max(60, width - 13 - 9 - 10 - 7);
  const pathCol = Math.floor(flexible * 0.33);
  const debugCol = Math.floor(flexible * 0.2);
  const table = new Table({
    head: ['mapping', 'build', 'symbols', 'debug info', 'unnamed', 'what to do'].map((h) => c.bold(h)),
    colWidths: [pathCol, 13, 9, debugCol, 10, flexible - pathCol - debugCol],
    wordWrap: true,
    style: { head: [], border: [] },
  });
  const pathWidth = pathCol - 2;
  for (const m of r.mappings) {
    const file = m.found === undefined ? c.red('not found here') : m.how === 'as named' ? '' : c.dim(hardWrap(`read from ${m.found} (${m.how})`, pathWidth));
    table.push([
      [hardWrap(m.dumpPath, pathWidth), file].filter(Boolean).join('\n'),
      [verdictColour(m, buildWord(m)), c.dim(m.build?.brief ?? '')].filter(Boolean).join('\n'),
      m.names?.symbols ?? '-',
      // The place, and the file when it is not one of the system's debug folders (a user's own).
      m.names?.debug === 'none' ? c.yellow('none') : m.names?.debugFile && !m.names.debugFile.startsWith('/usr/lib/debug/') ? hardWrap(debugWord(m), debugCol - 2) : (m.names?.debug ?? '-'),
      `${m.unnamedShare > 0 ? c.red(pct(m.unnamedShare)) : pct(m.unnamedShare)}\n${c.dim(`${m.unnamedPcs}/${m.pcs} PCs`)}`,
      m.advice.join('\n') || c.green('nothing'),
    ]);
  }
  const out = [table.toString(), ''];
  for (const d of r.dumps) {
    out.push(c.bold(d.file));
    out.push(`  sampling       ${sampling(d)}`);
    out.push(`  prof_accum     ${d.accum ? 'on: alloc_space/alloc_objects reports have data' : 'off: the alloc columns are empty (set prof_accum:true for alloc_* reports)'}`);
    out.push(`  thread rows    ${groupDigits(d.threadRows)} rows for ${d.threads} thread${d.threads === 1 ? '' : 's'}${d.threadRows > 0 ? ' (--thread reports)' : ''}`);
    out.push(`  stacks         ${groupDigits(d.stacks)}, the deepest ${d.deepest} frames${d.deepest >= 128 ? ' (jemalloc cuts stacks at 128 frames: raise prof_bt_max if cut)' : ''}`);
    out.push(`  in use         ${humanBytes(d.inuseBytes)}`);
  }
  for (const p of r.problems) out.push(c.yellow(`problem: ${p}`));
  return out.join('\n') + '\n';
}

export function renderDoctor(r: DoctorReport, format: DoctorFormat, level: 0 | 1 | 2 | 3 = 0, width?: number): string {
  return format === 'json' ? renderJson(r) : format === 'plain' ? renderPlain(r) : renderTable(r, level, width);
}
