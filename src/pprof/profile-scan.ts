// The top level of an encoded pprof Profile message, read with @bufbuild/protobuf's BinaryReader:
// the string table and the header fields as values, and where each sample, mapping, location and
// function lies, so that from-pprof.ts reads those straight into the model, in the order it needs
// (functions before the locations that name them, although writers put locations first).
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { PROFILE, TOTAL, VALUE_TYPE } from './fields.js';

export interface ValueTypeRef {
  type: bigint;
  unit: bigint;
}

export interface ProfileScan {
  reader: BinaryReader;
  strings: string[];
  sampleTypes: ValueTypeRef[];
  periodType?: ValueTypeRef;
  period: bigint;
  defaultSampleType: bigint;
  comments: bigint[];
  jeprofKind: bigint;
  jeprofProgram: bigint;
  totals: { thread: bigint; value: number[] }[];
  /** Each entry's payload as start and end offsets, in file order. */
  samples: number[];
  mappings: number[];
  locations: number[];
  functions: number[];
}

/** A damaged message: the reader turns it into a ProfileFormatError naming the file. */
export class WireError extends Error {}

export function scanProfile(raw: Uint8Array): ProfileScan {
  const r = new BinaryReader(raw);
  const out: ProfileScan = {
    reader: r, strings: [], sampleTypes: [], period: 0n, defaultSampleType: 0n, comments: [], jeprofKind: 0n, jeprofProgram: 0n, totals: [],
    samples: [], mappings: [], locations: [], functions: [],
  };
  while (r.pos < r.len) {
    const [no, wt] = r.tag();
    switch (no) {
      case PROFILE.sample:
        span(r, out.samples);
        break;
      case PROFILE.location:
        span(r, out.locations);
        break;
      case PROFILE.function:
        span(r, out.functions);
        break;
      case PROFILE.mapping:
        span(r, out.mappings);
        break;
      case PROFILE.stringTable:
        out.strings.push(r.string());
        break;
      case PROFILE.sampleType:
        out.sampleTypes.push(valueType(r));
        break;
      case PROFILE.periodType:
        out.periodType = valueType(r);
        break;
      case PROFILE.period:
        out.period = int64(r);
        break;
      case PROFILE.defaultSampleType:
        out.defaultSampleType = int64(r);
        break;
      case PROFILE.comment:
        repeated(r, wt, () => out.comments.push(int64(r)));
        break;
      case PROFILE.jeprofKind:
        out.jeprofKind = int64(r);
        break;
      case PROFILE.jeprofProgram:
        out.jeprofProgram = int64(r);
        break;
      case PROFILE.jeprofTotal:
        out.totals.push(total(r));
        break;
      default:
        r.skip(wt, no);
    }
  }
  if (r.pos !== r.len) throw new WireError('the last field runs past the end of the file');
  return out;
}

// The reader gives 64-bit numbers as bigints where BigInt exists (Node has it), as strings elsewhere.
export const int64 = (r: BinaryReader) => r.int64() as bigint;
export const uint64 = (r: BinaryReader) => r.uint64() as bigint;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An id as a Map key: a number while exact, so the usual small ids hash as numbers. */
export const idKey = (id: bigint): number | bigint => (id <= MAX_SAFE ? Number(id) : id);

/**
 * A uint64 id as idKey gives it. Read as 32 bits while its varint has at most four bytes (below
 * 2^28, as every writer's ids are): the 64-bit read makes a BigInt, and a big profile has some
 * hundred thousand ids and indexes.
 */
export function readId(r: BinaryReader): number | bigint {
  const at = r.pos;
  const v = r.uint32();
  if (r.pos - at <= 4) return v;
  r.pos = at;
  return idKey(uint64(r));
}

/** An int64 (a string index, a line number, a value) as a number, read as readId reads ids. */
export function readNumber(r: BinaryReader): number {
  const at = r.pos;
  const v = r.uint32();
  if (r.pos - at <= 4) return v;
  r.pos = at;
  return Number(int64(r));
}

/** A repeated number field: packed (one length-delimited run) or one element per tag. */
export function repeated(r: BinaryReader, wt: WireType, read: () => void): void {
  if (wt !== WireType.LengthDelimited) {
    read();
    return;
  }
  const end = limit(r);
  while (r.pos < end) read();
}

/** The end offset of the length-delimited payload that starts at the reader's position. */
export function limit(r: BinaryReader): number {
  const len = r.uint32();
  const end = r.pos + len;
  if (end > r.len) throw new WireError('a field runs past the end of the file');
  return end;
}

/** Records a message entry's payload range and steps over it. */
function span(r: BinaryReader, into: number[]): void {
  const end = limit(r);
  into.push(r.pos, end);
  r.pos = end;
}

/**
 * The varint fields of the message at raw[from, end), by field number, each as a uint64 (the last
 * one where a field repeats); other fields are skipped. For the small messages read once each.
 */
export function varintFields(r: BinaryReader, from: number, end: number): Map<number, bigint> {
  const out = new Map<number, bigint>();
  r.pos = from;
  while (r.pos < end) {
    const [no, wt] = r.tag();
    if (wt === WireType.Varint) out.set(no, uint64(r));
    else r.skip(wt, no);
  }
  return out;
}

/** An int64 field of varintFields' result: 0 when absent. */
export function signed(fields: Map<number, bigint>, no: number): bigint {
  const v = fields.get(no);
  return v === undefined ? 0n : BigInt.asIntN(64, v);
}

function valueType(r: BinaryReader): ValueTypeRef {
  const end = limit(r);
  const f = varintFields(r, r.pos, end);
  return { type: signed(f, VALUE_TYPE.type), unit: signed(f, VALUE_TYPE.unit) };
}

function total(r: BinaryReader): { thread: bigint; value: number[] } {
  const end = limit(r);
  const out = { thread: 0n, value: [] as number[] };
  while (r.pos < end) {
    const [no, t] = r.tag();
    if (no === TOTAL.thread) out.thread = int64(r);
    else if (no === TOTAL.value) repeated(r, t, () => out.value.push(r.double()));
    else r.skip(t, no);
  }
  return out;
}
