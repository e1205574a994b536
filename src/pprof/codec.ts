// Bytes <-> pprof messages: gzip and protobuf (the generated @bufbuild/protobuf code), with one
// clear error for a damaged or truncated file instead of the library's exception.
import { gunzipSync, gzipSync } from 'node:zlib';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ProfileFormatError } from '../model/errors.js';
import { isGzip } from './sniff.js';
import { ProfileSchema, type Profile as PprofProfile } from './gen/profile_pb.js';

export type { PprofProfile };

/**
 * The gzipped encoding of `msg`, as pprof writes it. Level 1: the profile compresses to about the
 * same size at level 6 (the string table and packed ids repeat little within gzip's window) and
 * costs three times less, which the 25% budget of the export bench needs.
 */
export function encodePprof(msg: PprofProfile): Uint8Array {
  return gzipSync(toBinary(ProfileSchema, msg), { level: 1 });
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
    return fromBinary(ProfileSchema, raw, { readUnknownFields: false });
  } catch (e) {
    throw new ProfileFormatError(name, 0, `damaged pprof profile: ${(e as Error).message}`);
  }
}

function gzipReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR') return 'the file ends too early: truncated';
  return (e as Error).message;
}

/** An empty message to fill. */
export function newPprofProfile(): PprofProfile {
  return create(ProfileSchema);
}
