// The call graph: `dot` (jeprof --dot), rendered by Graphviz as `svg`, `pdf`, `ps`, `gif`, or
// written to a file and opened in a viewer (`web`, `gv`, `evince`). One descriptor per mode, made here.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dotReport, renderDotText, type DotOptions } from '../../report/dot.js';
import type { FlatCum } from '../../graph/build.js';
import type { CliIO } from '../io.js';
import type { OutputMode } from '../options.js';
import { emit, writeFileAtomic } from '../output.js';
import { analyzeTarget, loadSession } from '../pipeline.js';
import { translateContext, type Session, type Target } from '../session.js';
import type { JeprofCommand } from './types.js';

type Viewer = 'web' | 'gv' | 'evince';
type Format = 'svg' | 'pdf' | 'ps' | 'gif';

/** jeprof's dot options for a mode: svg and web raise thin lines, pdf gets a page size. */
export function dotOptions(s: Session, mode: OutputMode): DotOptions {
  return {
    program: s.run.programName,
    nodeCount: s.o.nodeCount,
    nodeFraction: s.o.nodeFraction,
    edgeFraction: s.o.edgeFraction,
    maxDegree: s.o.maxDegree,
    heapcheck: s.o.heapcheck,
    svgWidths: mode === 'svg' || mode === 'web',
    pageSize: mode === 'pdf',
  };
}

/** The dot file of a target's stacks (after the command line's filters), and jeprof's notice of what it dropped. */
export function dotOf(s: Session, stacks: Target['stacks'], fc: FlatCum, total: number, mode: OutputMode): { text: string; notice?: string } {
  const r = dotReport(stacks, fc, total, translateContext(s, s.o.granularity), s.units, dotOptions(s, mode));
  return { text: renderDotText(r), notice: r.notice };
}

async function dots(s: Session, mode: OutputMode, io: CliIO): Promise<string[]> {
  const out: string[] = [];
  for (const t of s.targets) {
    const a = analyzeTarget(s, t, io);
    const g = dotOf(s, a.stacks, a.flatCum, a.total, mode);
    if (g.notice) io.stderr(g.notice + '\n');
    out.push(g.text);
  }
  return out;
}

/** Renders dot text as `format`, writes it to a file whose path is printed, and opens the viewer. */
export async function showGraph(dot: string[], format: Format, viewer: Viewer, io: CliIO, path?: string): Promise<void> {
  const { renderGraph } = await import('../graphviz.js');
  const rendered = Buffer.concat(await Promise.all(dot.map((g) => renderGraph(g, format))));
  // jeprof opens a viewer on a temp file; we write the file, say where, and open a viewer if one is set.
  const file = path ?? join(io.env.JEPROF_TMPDIR ?? tmpdir(), `jeprof-ts.${process.pid}.${format}`);
  writeFileAtomic(file, io.cwd, rendered);
  io.stderr(`Wrote ${file}\n`);
  await (await import('../viewer.js')).launchViewer(viewer, file, io);
}

function graphCommand(name: string, flag: OutputMode, summary: string, example: string, show: (dot: string[], o: { output?: string }, io: CliIO) => Promise<number>): JeprofCommand {
  return {
    kind: 'jeprof',
    name,
    flag,
    summary,
    example,
    async run(o, env) {
      return show(await dots(await loadSession(o, env), flag, env.io), o, env.io);
    },
  };
}

const rendered = (format: Format) => async (dot: string[], o: { output?: string }, io: CliIO) => {
  const { renderGraph } = await import('../graphviz.js');
  return emit(o.output, io, Buffer.concat(await Promise.all(dot.map((g) => renderGraph(g, format)))));
};

const viewed = (format: Format, viewer: Viewer) => async (dot: string[], o: { output?: string }, io: CliIO) => {
  await showGraph(dot, format, viewer, io, o.output);
  return 0;
};

export const dot = graphCommand('dot', 'dot', 'the call graph in Graphviz dot (jeprof --dot)', 'jeprof-ts dot --nodecount=30 ./server x.heap', async (d, o, io) => emit(o.output, io, d.join('')));
export const svg = graphCommand('svg', 'svg', 'the call graph as SVG (jeprof --svg)', 'jeprof-ts svg -o heap.svg ./server x.heap', rendered('svg'));
export const pdf = graphCommand('pdf', 'pdf', 'the call graph as PDF (jeprof --pdf)', 'jeprof-ts pdf -o heap.pdf ./server x.heap', rendered('pdf'));
export const ps = graphCommand('ps', 'ps', 'the call graph as PostScript (jeprof --ps)', 'jeprof-ts ps -o heap.ps ./server x.heap', rendered('ps'));
export const gif = graphCommand('gif', 'gif', 'the call graph as GIF (jeprof --gif)', 'jeprof-ts gif -o heap.gif ./server x.heap', rendered('gif'));
export const web = graphCommand('web', 'web', 'write the SVG call graph and open it in $BROWSER (jeprof --web)', 'BROWSER=firefox jeprof-ts web ./server x.heap', viewed('svg', 'web'));
export const gv = graphCommand('gv', 'gv', 'write the PostScript call graph and open it in gv (jeprof --gv)', 'jeprof-ts gv ./server x.heap', viewed('ps', 'gv'));
export const evince = graphCommand('evince', 'evince', 'write the PDF call graph and open it in evince (jeprof --evince)', 'jeprof-ts evince ./server x.heap', viewed('pdf', 'evince'));
