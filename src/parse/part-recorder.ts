// A split parse's worker side of HeapSink: stacks interned in the worker's own tables and count
// rows recorded in file order, for SampleAccumulator.mergePart to replay exactly.
import type { LocationTable } from '../model/locations.js';
import { IntSequenceTable } from '../model/interner.js';
import { grownToHold } from '../model/grow.js';
import type { HeapSink } from './heap-body.js';
import type { ParsedPart } from './parsed-part.js';
import { rowsFor, stackIntsFor, StackLines, type ParsedStack } from './stack-lines.js';

/** Rows between two signs of progress to the waiting thread. */
const BEAT_ROWS = 4096;
/**
 * The part's stacks are kept in about this many tables, one after the other, each a buffer of
 * its own: the merge frees each as soon as its stacks are copied, where one buffer was held
 * whole until the end, next to its copy (61 MB of a 1 GB dump's peak). A stack line repeated in a
 * later segment is numbered again there; the merge interns both into one stack.
 */
const SEGMENTS = 8;
/** The smallest segment, in location ids (small parts, as tests split, still have several). */
const MIN_SEGMENT_INTS = 1024;

export class PartRecorder implements HeapSink {
  private lines: StackLines;
  private events: Int32Array;
  private nEvents = 0;
  private values: Float64Array;
  private nValues = 0;

  /** The segments filled before the current one (this.lines.ids). */
  private readonly filled: IntSequenceTable[] = [];
  /** The number of the current segment's first stack. */
  private base = 0;
  private readonly segmentInts: number;

  constructor(
    private readonly table: LocationTable,
    /** The part's size in bytes: its segments are reserved for it, as a whole dump's table is. */
    partBytes: number,
    /** Shared with the waiting thread: [1] counts up as rows are read (see split-parse.ts). */
    private readonly signal: Int32Array,
  ) {
    this.segmentInts = Math.max(MIN_SEGMENT_INTS, Math.ceil(stackIntsFor(partBytes) / SEGMENTS));
    this.lines = this.segment();
    // Sized for the part, as the accumulator's rows are: lists doubled as they filled left a 1 GB
    // dump's worker 50 MB of outgrown copies, and pages not reached are never touched. Sent as
    // views of these buffers, not copies.
    const rows = Math.max(1 << 10, rowsFor(partBytes));
    this.events = new Int32Array(rows);
    this.values = new Float64Array(4 * rows);
  }

  stackBytes(b: Uint8Array, start: number, end: number): number {
    const local = this.lines.fromBytes(b, start, end);
    return local < 0 ? -1 : this.numbered(local);
  }

  stack(text: string): ParsedStack {
    const r = this.lines.fromText(text);
    return { id: this.numbered(r.id), problem: r.problem };
  }

  /** A new segment's table: reserved for its share of the part (a longer last stack grows it). */
  private segment(): StackLines {
    return new StackLines(this.table, new IntSequenceTable(256, this.segmentInts + 256, undefined, true));
  }

  /** The part's number of the current segment's stack `local`; the next segment starts once this one is full. */
  private numbered(local: number): number {
    const id = this.base + local;
    const t = this.lines.ids;
    if (t.used >= this.segmentInts) {
      this.filled.push(t);
      this.base += t.size;
      this.lines = this.segment();
    }
    return id;
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
    const tables = [...this.filled, this.lines.ids];
    const n = this.base + this.lines.ids.size;
    const starts = new Int32Array(n);
    const lens = new Int32Array(n);
    const segmentEnds = new Int32Array(tables.length);
    let w = 0;
    for (let k = 0; k < tables.length; k++) {
      const t = tables[k];
      for (let e = 0; e < t.size; e++, w++) {
        starts[w] = t.startOf(e);
        lens[w] = t.lengthOf(e);
      }
      segmentEnds[k] = w;
    }
    const ids = tables.map((t) => t.data);
    const events = this.events.subarray(0, this.nEvents);
    const values = this.values.subarray(0, this.nValues);
    const part: ParsedPart = { addresses, cased, ids, segmentEnds, starts, lens, events, values, warnings, mapText };
    const transfer = [addresses.buffer, starts.buffer, lens.buffer, segmentEnds.buffer, events.buffer as ArrayBuffer, values.buffer as ArrayBuffer];
    for (const a of ids) transfer.push(a.buffer as ArrayBuffer);
    return { part, transfer };
  }
}
