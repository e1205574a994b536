// Recognises a pprof profile by its first bytes, not its name: gzip's magic, or a protobuf whose
// first fields are fields of pprof's Profile message with their wire types.

/** gzip's magic bytes and deflate's method byte: pprof files are normally gzipped (`.pb.gz`). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08;
}

/** Wire type of each Profile field (profile.proto): 0 varint, 2 length-delimited. */
const WIRE_TYPES: Record<number, readonly number[]> = {
  1: [2], 2: [2], 3: [2], 4: [2], 5: [2], 6: [2], 7: [0], 8: [0], 9: [0], 10: [0], 11: [2], 12: [0],
  // `comment` is repeated int64: packed (2) or one varint per entry (0).
  13: [0, 2], 14: [0], 15: [0],
};

/**
 * True when `head` (the file's first bytes, any number) starts like a pprof file: gzip, or a
 * protobuf whose first field is one of Profile's messages, strings or packed lists (every writer
 * puts sample_type, field 1, first) and whose next fields, as far as `head` reaches (up to six),
 * are Profile's with their wire types. A heap dump's text does not: `heap_v2/` is field 13 as a
 * varint; a damaged one starting `@ @ @` (field 8, varints) has no length-delimited first field.
 */
export function looksLikePprof(head: Uint8Array): boolean {
  if (isGzip(head)) return true;
  // An empty file is an empty protobuf too, but the dump reader's `file is empty` says more.
  if (head.length === 0 || head[0] % 8 !== 2) return false;
  // Text is no protobuf: a ValueType's tags (0x08, 0x10) are control bytes, where a dump that
  // starts with blank lines would otherwise read as field 1, ten bytes long, again and again.
  if (head.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d)) return false;
  let pos = 0;
  for (let field = 0; field < 6 && pos < head.length; field++) {
    const tag = varint(head, pos);
    if (!tag) return field > 0;
    pos = tag.next;
    const number = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (!(WIRE_TYPES[number] ?? []).includes(wire)) return false;
    if (wire === 0) {
      const v = varint(head, pos);
      if (!v) return true;
      pos = v.next;
    } else {
      const len = varint(head, pos);
      if (!len) return true;
      pos = len.next + len.value;
    }
  }
  return true;
}

/** A varint at `pos` (up to 2^53), or undefined when `bytes` ends inside it or it is too long. */
function varint(bytes: Uint8Array, pos: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = pos; i < bytes.length && i < pos + 8; i++) {
    value += (bytes[i] & 0x7f) * scale;
    scale *= 128;
    if (bytes[i] < 0x80) return { value, next: i + 1 };
  }
  return undefined;
}
