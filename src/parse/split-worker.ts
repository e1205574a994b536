// The worker thread of a split parse (split-parse.ts): reads a dump from a stack line to its end
// and posts the part back. Any failure is posted as no part: the waiting thread then reads it itself.
import { workerData, type MessagePort } from 'node:worker_threads';
import { LocationTable } from '../model/locations.js';
import { HeapBodyReader } from './heap-body.js';
import { LineReader } from './lines.js';
import { PartRecorder } from './part-recorder.js';
import type { ParsedPart } from './parsed-part.js';

const { fd, from, rate, file, signal, port } = workerData as { fd: number; from: number; rate: number; file: string; signal: Int32Array; port: MessagePort };

try {
  const reader = new LineReader('', fd, from);
  // The waiting thread's progress line adds what this part has read (in KiB: 2 TiB fit).
  reader.onRead = (offset) => Atomics.store(signal, 2, Math.floor((offset - from) / 1024));
  const recorder = new PartRecorder(new LocationTable(), Math.max(0, reader.sizeHint - from), signal);
  const warnings: ParsedPart['warnings'] = [];
  // Per-thread rows are only counted: a split is made only when no --thread report needs them.
  const body = new HeapBodyReader(file, { kind: 'poisson', rate }, recorder, (line, message) => warnings.push([line, message]), false);
  body.read(reader);
  body.finish();
  const { part, transfer } = recorder.part(warnings, body.mapText);
  port.postMessage({ part }, transfer);
} catch {
  port.postMessage({});
} finally {
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
  // An open port would keep this thread, and its memory, alive after its work.
  port.close();
}
