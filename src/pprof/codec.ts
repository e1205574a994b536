// Bytes <-> pprof messages: gzip and protobuf (the generated @bufbuild/protobuf code), with one
// clear error for a damaged or truncated file instead of the library's exception.
import { gunzipSync, gzipSync } from 'node:zlib';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ProfileFormatError } from '../model/errors.js';
import { CompactProfileSchema, ProfileSchema, type CompactProfile } from './gen/profile_pb.js';
import { isGzip } from './sniff.js';

/** A pprof profile as jeprof-ts handles it: sample location ids as numbers (see CompactProfile in profile.proto). */
export type PprofProfile = CompactProfile;

const UINT32_MAX = 0xffffffffn;

/**
 * The gzipped encoding of `msg`, as pprof writes it. Level 1: some 30 ms for a 20,000-stack
 * profile where level 6 takes 60, for a file 15% larger.
 */
export function encodePprof(msg: PprofProfile): Uint8Array {
  return gzipSync(toBinary(CompactProfileSchema, msg), { level: 1 });
}

/** Decodes a pprof file (gzipped or not); a damaged one throws ProfileFormatError naming it. */
export function decodePprof(bytes: Uint8Array, name: string): PprofProfile {
  let raw = bytes;
  if (isGzip(bytes)) {
    try {
      raw = gunzipSync(bytes);
    } catch (e) {
      throw new ProfileFormatError(name, 0, `damaged gzip data in a pprof profile (${gzipReason(e)})`);
    }
  }
  try {
    const msg = fromBinary(CompactProfileSchema, raw, { readUnknownFields: false });
    // Ids past 2^32 would have been cut to 32 bits in the samples: read them whole, then number the PCs anew.
    return msg.location.some((l) => l.id > UINT32_MAX) ? renumbered(fromBinary(ProfileSchema, raw, { readUnknownFields: false }), msg) : msg;
  } catch (e) {
    if (e instanceof ProfileFormatError) throw e;
    throw new ProfileFormatError(name, 0, `damaged pprof profile: ${(e as Error).message}`);
  }
}

/** `compact` with its Locations numbered 1..n and its samples' ids taken whole from `exact`, then numbered so. */
function renumbered(exact: ReturnType<typeof fromBinary<typeof ProfileSchema>>, compact: CompactProfile): CompactProfile {
  const index = new Map<bigint, number>();
  for (const l of compact.location) {
    const old = l.id;
    l.id = BigInt(index.size + 1);
    index.set(old, index.size + 1);
  }
  exact.sample.forEach((s, i) => {
    // An id that names no Location stays out of range (0), which the reader reports.
    compact.sample[i].locationId = s.locationId.map((id) => index.get(id) ?? 0);
  });
  return compact;
}

function gzipReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR') return 'the file ends too early: truncated';
  return (e as Error).message;
}

/** An empty message to fill. */
export function newPprofProfile(): PprofProfile {
  return create(CompactProfileSchema);
}
