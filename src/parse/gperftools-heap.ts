// Reads gperftools' text heap profiles, which jeprof also accepts (ReadHeapProfile in jeprof.in).
//
//   heap profile:   11:  1058576 [    22:  2117152] @ heap_v2/524288
//     10:    10000 [    20:    20000] @ 0x40118e 0x4012d6
//   MAPPED_LIBRARIES:
//   ...
// The `@ <type>/<period>` tail picks the unsampling: `heapprofile` or a type without "heap"
// (growth): none; a type with `_v2`: Poisson at the period; other `heap` types: v1 at period/2;
// no tail: v1 at 128 KiB when the in-use pair equals the allocated pair, else none.
import { checkProfile } from '../model/check.js';
import { dumpMappings } from './proc-maps.js';
import type { LocationTable } from '../model/locations.js';
import { SampleAccumulator } from './accumulate.js';
import { sampleLines, type LineReader } from './lines.js';
import type { HeapFile } from './types.js';
import { adjustCountLine, type Sampling } from './unsample.js';

const HEADER = /^heap profile:\s*(\d+):\s+(\d+)\s+\[\s*(\d+):\s+(\d+)\](\s*@\s*([^/]*)(\/(\d+))?)?/;
const SAMPLE = /^\s*(\d+):\s+(\d+)\s+\[\s*(\d+):\s+(\d+)\]\s+@\s+(.*)$/;

/** Works out jeprof's sampling mode and the stderr notices it prints for this header. */
export function headerSampling(header: string): { sampling: Sampling; notices: string[] } {
  const m = HEADER.exec(header);
  let algorithm = 0;
  let adjustment = 0;
  if (m) {
    const type = m[6];
    if (type !== undefined && type !== '') {
      const period = m[8];
      if (type === 'heapprofile' || !/heap/.test(type)) {
        algorithm = 0;
      } else if (/_v2/.test(type)) {
        algorithm = 2;
        if (period !== undefined && period !== '') adjustment = Number(period);
      } else {
        algorithm = 1;
        if (period !== undefined && period !== '') adjustment = Number(period) / 2;
      }
    } else if (Number(m[1]) === Number(m[3]) && Number(m[2]) === Number(m[4])) {
      algorithm = 1; // old remote-heap dumps repeat the in-use pair as the allocated pair
    }
  }
  const notices: string[] = [];
  if (algorithm === 0) return { sampling: { kind: 'none' }, notices };
  if (adjustment === 0) {
    adjustment = 128 * 1024;
    notices.push('Adjusting heap profiles for 1-in-128KB sampling rate');
  } else {
    notices.push(`Adjusting heap profiles for 1-in-${Math.trunc(adjustment)} sampling rate`);
  }
  if (algorithm > 1) notices.push(`Heap version ${algorithm}`);
  return { sampling: { kind: algorithm === 2 ? 'poisson' : 'uniform', rate: adjustment }, notices };
}

export function readGperftoolsHeap(file: string, header: { text: string; number: number }, reader: LineReader, table: LocationTable): HeapFile {
  const kind = /growth/.test(header.text) ? 'growth' : 'heap';
  const { sampling, notices } = headerSampling(header.text);
  const acc = new SampleAccumulator(table);
  const warnings: string[] = [];
  if (!HEADER.test(header.text)) warnings.push(`${file}:${header.number}: header does not have the 'heap profile: N: N [N: N]' shape`);

  const maps: { mapText?: string } = {};
  for (const line of sampleLines(reader, maps)) {
    const t = line.text;
    const m = SAMPLE.exec(t);
    if (!m) {
      warnings.push(`${file}:${line.number}: unrecognised line '${t.slice(0, 60)}' ignored`);
      continue;
    }
    const stack = acc.stack(m[5]);
    if (stack.problem) warnings.push(`${file}:${line.number}: ${stack.problem}; read as jeprof does`);
    acc.add(stack.id, undefined, adjustCountLine(sampling, file, line.number, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])));
  }
  const mapText = maps.mapText ?? '';
  if (maps.mapText === undefined) warnings.push(`${file}: no MAPPED_LIBRARIES section (file truncated?): addresses cannot be matched to libraries`);
  const period = sampling.kind === 'none' ? 0 : sampling.rate;
  const profile = acc.toProfile(period);
  profile.mappings = dumpMappings(mapText);
  checkProfile(profile, { allowNaN: true });
  return { file, kind, profile, mapText, notices, warnings, maxAddress: acc.maxAddress };
}
