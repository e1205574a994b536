// A dump's stack lines as stack numbers: the addresses read into the run's Locations and the
// location list interned. The reader of a whole dump and a split parse's worker share it, and the
// sizes both reserve for a file's stacks and count rows.
import type { LocationTable } from '../model/locations.js';
import { IntSequenceTable } from '../model/interner.js';
import { parseStack } from './stack.js';
import { StackByteReader } from './stack-bytes.js';

export interface ParsedStack {
  /** The stack's number: equal location lists get the same one. */
  id: number;
  /** Set when an address was malformed. */
  problem?: string;
}

/**
 * A stack table for the stacks of `fileBytes` of dump text. Addresses take 13 to 16 bytes of dump
 * text each: a pool sized for the file is never grown (each doubling touched fresh memory, about
 * 13 µs per 4 KiB page on a VM, and held the old pool and the new at once: 134 + 268 MB on a 1 GB
 * dump, whose 61 million frames the cap of 2^24 numbers made it grow to); pages a smaller stack
 * set never reaches are never touched, so the size is only reserved. Up to 2^28 numbers (1 GiB
 * reserved) for dumps of 3.5 GB. Location ids in 16 bits while they fit (see IntSequenceTable).
 */
export function stackTableFor(fileBytes: number): IntSequenceTable {
  return new IntSequenceTable(256, stackIntsFor(fileBytes), undefined, true);
}

/** The location ids to reserve for the stacks of `fileBytes` of dump text (see stackTableFor). */
export function stackIntsFor(fileBytes: number): number {
  return Math.min(Math.ceil(fileBytes / 13), 1 << 28);
}

/** The count rows to reserve for `fileBytes` of dump text: a stack line and its rows take 100 bytes and more. */
export function rowsFor(fileBytes: number): number {
  return Math.min(Math.ceil(fileBytes / 100), 1 << 22);
}

export class StackLines {
  private readonly bytes: StackByteReader;
  private scratch = new Int32Array(64);

  constructor(
    private readonly table: LocationTable,
    /** Where the location lists are interned. */
    readonly ids: IntSequenceTable,
  ) {
    this.bytes = new StackByteReader(table);
  }

  /**
   * A stack line's addresses straight from bytes (after the `@`): the stack's number, or -1 when
   * the line is not plain enough for the fast path and must go through fromText().
   */
  fromBytes(b: Uint8Array, start: number, end: number): number {
    const n = this.bytes.read(b, start, end);
    return n < 0 ? -1 : this.ids.intern(this.bytes.ids, n);
  }

  /** A stack line's addresses as text. `problem` names a malformed address. */
  fromText(text: string): ParsedStack {
    const r = parseStack(text, this.table);
    if (r.locations.length > this.scratch.length) this.scratch = new Int32Array(r.locations.length * 2);
    for (let i = 0; i < r.locations.length; i++) this.scratch[i] = r.locations[i].id;
    return { id: this.ids.intern(this.scratch, r.locations.length), problem: r.problem };
  }
}
