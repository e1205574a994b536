// What a split parse's worker hands back: its part of a dump in its own numbering, to be merged.

export interface ParsedPart {
  /** The worker's Locations in id order (id 1 first): their addresses. */
  addresses: BigUint64Array;
  /** The Locations of leaves spelled with upper-case digits (Location.text), as [id, text]. */
  cased: [number, string][];
  /**
   * Its stacks in number order, in segments: segment k holds the stacks numbered below
   * segmentEnds[k] (and from segmentEnds[k - 1]), stack w at ids[k][starts[w] .. starts[w] + lens[w])
   * (its Location ids). Each segment is a buffer of its own, freed once merged (see PartRecorder).
   */
  ids: (Uint16Array | Int32Array)[];
  segmentEnds: Int32Array;
  starts: Int32Array;
  lens: Int32Array;
  /** Count rows in file order: a stack number for a row kept (its values next in `values`), -1 - stack for one only counted. */
  events: Int32Array;
  /** Four unsampled values per kept row, in the order of `events`. */
  values: Float64Array;
  /** Warnings at its lines (counted from the part's first line; undefined: the file's), as HeapBodyReader gives them. */
  warnings: [number | undefined, string][];
  /** The MAPPED_LIBRARIES text, when the part reached it. */
  mapText?: string;
}
