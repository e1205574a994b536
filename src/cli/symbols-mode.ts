// jeprof --symbols <program>: names addresses read from stdin, one line out per address line in.
// Lines holding a 0x... word are addresses; all other lines are a /proc/<pid>/maps text.
import { text } from 'node:stream/consumers';
import { LocationTable } from '../model/locations.js';
import { parseMappedLibraries } from '../parse/proc-maps.js';
import { buildLibraries } from '../symbolize/libraries.js';
import { symbolizeLocations } from '../symbolize/symbolizer.js';
import { checkProgram } from './files.js';
import type { CliIO } from './io.js';
import { makeTool, rewriter, type RunDeps } from './load.js';
import type { RunOptions } from './options.js';
import { ADDRESS_MASK } from '../model/address.js';

export async function runSymbolsMode(o: RunOptions, io: CliIO, deps: RunDeps): Promise<number> {
  const programArg = o.positionals[0];
  const programPath = checkProgram(programArg, io.cwd);
  io.stderr(`Using local file ${programArg}.\n`);
  const input = (await text(io.stdin)).replace(/\r/g, '');
  const table = new LocationTable();
  const order: bigint[] = [];
  let map = '';
  let maxPc = 0n;
  for (const line of input.split('\n')) {
    const m = /\b0x([0-9a-f]+)\b/i.exec(line);
    if (m) {
      // Addresses here are taken as given: no caller adjustment.
      const a = BigInt('0x' + m[1]) & ADDRESS_MASK;
      order.push(a);
      table.get(a);
      if (a > maxPc) maxPc = a;
    } else {
      map += line + '\n';
    }
  }
  const tool = makeTool(o, deps, io.env, io.cwd);
  const mappings = parseMappedLibraries(map, programPath, rewriter(o.mapPaths, io.cwd));
  const libraries = buildLibraries(mappings, { program: programPath, libPrefixes: o.libPrefixes, maxPc, debugByBuildId: o.debugSymsById }, tool);
  await symbolizeLocations(table.all, libraries, tool);
  for (const p of tool.problems) if (o.warnings) io.stderr(`jeprof-ts: warning: ${p}\n`);
  let out = '';
  for (const a of order) out += (table.find(a)?.lines[0]?.func.name || '??') + '\n';
  io.stdout(out);
  return 0;
}
