// A split parse's worker side of HeapSink: stacks interned in the worker's own tables and count
// rows recorded in file order, for SampleAccumulator.mergePart to replay exactly.
import type { LocationTable } from '../model/locations.js';
import { grownToHold } from '../model/grow.js';
import type { HeapSink } from './heap-body.js';
import type { ParsedPart } from './parsed-part.js';
import { rowsFor, stackTableFor, StackLines, type ParsedStack } from './stack-lines.js';

/** Rows between two signs of progress to the waiting thread. */
const BEAT_ROWS = 4096;

export class PartRecorder implements HeapSink {
  private readonly lines: StackLines;
  private events: Int32Array;
  private nEvents = 0;
  private values: Float64Array;
  private nValues = 0;

  constructor(
    private readonly table: LocationTable,
    /** The part's size in bytes: the stack table is reserved for it, as a whole dump's is. */
    partBytes: number,
    /** Shared with the waiting thread: [1] counts up as rows are read (see split-parse.ts). */
    private readonly signal: Int32Array,
  ) {
    this.lines = new StackLines(table, stackTableFor(partBytes));
    // Sized for the part, as the accumulator's rows are: lists doubled as they filled left a 1 GB
    // dump's worker 50 MB of outgrown copies, and pages not reached are never touched. Sent as
    // views of these buffers, not copies.
    const rows = Math.max(1 << 10, rowsFor(partBytes));
    this.events = new Int32Array(rows);
    this.values = new Float64Array(4 * rows);
  }

  stackBytes(b: Uint8Array, start: number, end: number): number {
    return this.lines.fromBytes(b, start, end);
  }

  stack(text: string): ParsedStack {
    return this.lines.fromText(text);
  }

  add(stack: number, _thread: string | undefined, values: ArrayLike<number>): void {
    this.event(stack);
    if (this.nValues + 4 > this.values.length) this.values = grownToHold(this.values, this.nValues + 3);
    for (let i = 0; i < 4; i++) this.values[this.nValues++] = values[i];
  }

  markCounted(stack: number): void {
    this.event(-1 - stack);
  }

  private event(e: number): void {
    if (this.nEvents === this.events.length) this.events = grownToHold(this.events, this.nEvents);
    this.events[this.nEvents++] = e;
    if (this.nEvents % BEAT_ROWS === 0) Atomics.add(this.signal, 1, 1);
  }

  /** The part as mergePart takes it, and the buffers to transfer rather than copy. */
  part(warnings: ParsedPart['warnings'], mapText: string | undefined): { part: ParsedPart; transfer: ArrayBuffer[] } {
    const all = this.table.all;
    const addresses = new BigUint64Array(all.length);
    const cased: [number, string][] = [];
    for (let i = 0; i < all.length; i++) {
      addresses[i] = all[i].address;
      if (all[i].text !== undefined) cased.push([i + 1, all[i].text!]);
    }
    const table = this.lines.ids;
    const n = table.size;
    const starts = new Int32Array(n);
    const lens = new Int32Array(n);
    for (let e = 0; e < n; e++) {
      starts[e] = table.startOf(e);
      lens[e] = table.lengthOf(e);
    }
    const ids = table.data;
    const events = this.events.subarray(0, this.nEvents);
    const values = this.values.subarray(0, this.nValues);
    const part: ParsedPart = { addresses, cased, ids, starts, lens, events, values, warnings, mapText };
    return { part, transfer: [addresses.buffer, ids.buffer as ArrayBuffer, starts.buffer, lens.buffer, events.buffer as ArrayBuffer, values.buffer as ArrayBuffer] };
  }
}
