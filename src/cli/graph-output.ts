// --svg/--pdf/--ps/--gif/--web/--gv/--evince: the dot reports rendered by Graphviz, then printed,
// written with -o, or written to a temp file and opened in a viewer.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderGraph, type GraphFormat } from './graphviz.js';
import type { CliIO } from './io.js';
import type { RunOptions } from './options.js';
import { emit, writeFileAtomic } from './output.js';
import { launchViewer } from './viewer.js';

export async function emitGraph(o: RunOptions, io: CliIO, dots: string[], graph: GraphFormat): Promise<number> {
  const rendered = Buffer.concat(await Promise.all(dots.map((g) => renderGraph(g, graph))));
  if (o.mode === 'web' || o.mode === 'gv' || o.mode === 'evince') {
    // jeprof opens a viewer on a temp file; we write the file, say where, and open a viewer if one is set.
    const path = o.output ?? join(io.env.JEPROF_TMPDIR ?? tmpdir(), `jeprof-ts.${process.pid}.${graph}`);
    writeFileAtomic(path, io.cwd, rendered);
    io.stderr(`Wrote ${path}\n`);
    await launchViewer(o.mode, path, io);
    return 0;
  }
  return emit(o.output, io, rendered);
}
