// `top --json`: the top report as one JSON document (schema jeprof-ts/top/1,
// docs/schemas/top-1.schema.json): the rows in the order --text prints them, values unrounded
// (jeprof's doubles), each row with what it is made of where known.
import { locationHex } from '../model/address.js';
import type { TopReport, TopRow } from './top.js';

/** A row with its structured identity: the function, source file and line, address and mapping of the PC it was made from. */
function jsonRow(r: TopRow): Record<string, unknown> {
  const out: Record<string, unknown> = { name: r.name, flat: r.flat, cum: r.cum };
  const loc = r.origin?.location;
  if (!loc) return out;
  const line = r.origin!.level >= 0 ? loc.lines[r.origin!.level] : undefined;
  if (line && line.func.name !== '??') out.function = line.func.systemName;
  if (line && line.func.filename !== '' && line.func.filename !== '??') out.file = line.func.filename;
  if (line && line.line > 0) out.line = line.line;
  out.address = '0x' + locationHex(loc);
  if (loc.mapping) out.mapping = loc.mapping.file;
  return out;
}

/** The document for one report, or for the per-thread reports of --thread. */
export function renderTopJson(reports: readonly TopReport[], sampleType: string, perThread: boolean): string {
  const unit = reports[0]?.units.kind ?? (sampleType.endsWith('objects') ? 'objects' : 'bytes');
  const body = (r: TopReport) => ({ total: r.total, rows: r.rows.map(jsonRow) });
  const doc = perThread
    ? { schema: 'jeprof-ts/top/1', sampleType, unit, threads: reports.map((r) => ({ thread: r.thread, ...body(r) })) }
    : { schema: 'jeprof-ts/top/1', sampleType, unit, ...body(reports[0] ?? { total: 0, rows: [] } as unknown as TopReport) };
  return JSON.stringify(doc, null, 2) + '\n';
}
