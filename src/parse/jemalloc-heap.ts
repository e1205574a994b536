// Reads jemalloc's heap_v2 dumps (prof_dump_header/prof_dump_gctx in jemalloc 5.3 src/prof_data.c).
//
//   heap_v2/524288                       <- 2^lg_prof_sample
//     t*: 36: 7459776 [0: 0]             <- totals, ignored (jeprof does the same)
//   @ 0x7f6c632a2630 0x7f6c632a2d21 ...  <- one stack, leaf first
//     t*: 30: 6717440 [0: 0]             <- in-use objects: bytes [allocated objects: bytes], all threads
//     t1: 10: 1146880 [0: 0]             <- the same for thread uid 1
//   MAPPED_LIBRARIES:
//   <copy of /proc/self/maps>
import { checkProfile } from '../model/check.js';
import { dumpMappings } from './proc-maps.js';
import type { LocationTable } from '../model/locations.js';
import { ProfileFormatError } from '../model/errors.js';
import { SampleAccumulator } from './accumulate.js';
import type { LineReader } from './lines.js';
import { HeapBodyReader } from './heap-body.js';
import { startSplit, type Split } from './split-parse.js';
import type { HeapFile, ParseOptions } from './types.js';
import type { Sampling } from './unsample.js';

const HEADER = /^heap_v2\/(\d+)/;

/**
 * The reader's progress (its onRead, when a progress line asked for it: see parseText) told with
 * the worker's bytes added while this thread has not read past the split; the function that tells
 * it again, for the wait on the worker.
 */
function progressOfSplit(reader: LineReader, split: Split): (() => void) | undefined {
  const tellOffset = reader.onRead;
  if (!tellOffset) return undefined;
  let own = 0;
  const tell = () => tellOffset(own <= split.at ? own + split.readBytes() : own);
  reader.onRead = (offset) => {
    own = offset;
    tell();
  };
  return tell;
}

export function readJemallocHeap(file: string, header: { text: string; number: number }, reader: LineReader, table: LocationTable, opts: ParseOptions = {}): HeapFile {
  const m = HEADER.exec(header.text);
  if (!m) {
    throw new ProfileFormatError(file, header.number, `header '${header.text.slice(0, 60)}' is not heap_v2/<sample rate> (jeprof: "Threaded heap profiles require v2 sampling with a sample rate")`);
  }
  const rate = Number(m[1]);
  const sampling: Sampling = { kind: 'poisson', rate };
  const acc = new SampleAccumulator(table, reader.sizeHint, opts.onNewLocation, opts.runStacks?.locations === table ? opts.runStacks : undefined);
  const warnings: string[] = [];
  const warn = (line: number | undefined, message: string) => warnings.push(line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`);
  const keepThreadRows = opts.threadRows ?? true;
  const body = new HeapBodyReader(file, sampling, acc, warn, keepThreadRows, opts.runStacks?.lastMap);
  // A lone big dump's second part is read by a worker thread while this one reads the first
  // (split-parse.ts); anything the worker cannot give exactly, this thread reads on.
  const split = opts.runStacks === undefined && !keepThreadRows ? startSplit(reader, rate, file) : undefined;
  let done: HeapFile['split'];
  try {
    const tell = split && progressOfSplit(reader, split);
    body.read(reader);
    const part = split && reader.stoppedAtLimit ? split.result(tell) : undefined;
    if (part) {
      // The worker's first line is a stack line: the stack read last here ends there.
      body.endStack();
      acc.mergePart(part);
      for (const [line, message] of part.warnings) warn(line === undefined ? undefined : line + reader.lineNumber, message);
      body.mapText = part.mapText;
      done = { at: split!.at, segments: part.ids.length };
    } else {
      // No part to take: this thread reads on from the split (with none, it is at the end already).
      reader.unlimit();
      body.read(reader);
      body.finish();
    }
  } finally {
    split?.cancel();
  }

  const mapText = body.mapText;
  const profile = acc.toProfile(rate);
  profile.mappings = dumpMappings(mapText ?? '');
  checkProfile(profile, { allowNaN: true });
  return { file, kind: 'heap', profile, mapText: mapText ?? '', notices: [], warnings, maxAddress: acc.maxAddress, split: done };
}
