// pprof files as @bufbuild/protobuf message objects, for tests that look inside an export or make
// a changed copy of one: the library's own decoder and encoder, independent of jeprof-ts's
// streaming writer and reader (src/pprof/to-pprof.ts, from-pprof.ts), so they check those too.
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { gzipSync, inflateRawSync } from 'node:zlib';
import { CompactProfileSchema, type CompactProfile } from '../../src/pprof/gen/profile_pb.js';
import { gunzipPprof } from '../../src/pprof/gzip.js';

/** A pprof file (gzipped or not) as a message, its sample location ids as numbers. */
export function decodePprof(bytes: Uint8Array, name = 'profile'): CompactProfile {
  return fromBinary(CompactProfileSchema, gunzipPprof(bytes, name));
}

/** A message as a gzipped pprof file. */
export function encodePprof(msg: CompactProfile): Uint8Array {
  return gzipSync(toBinary(CompactProfileSchema, msg));
}

/**
 * How many gzip members a file holds (jeprof-ts writes a big export as several, one per piece of
 * its protobuf): each member's deflate data is inflated to find where it ends. Members with a
 * bare 10-byte header (no name or extra fields), as zlib writes them.
 */
export function gzipMembers(bytes: Uint8Array): number {
  let members = 0;
  for (let at = 0; at < bytes.length; members++) {
    if (bytes[at] !== 0x1f || bytes[at + 1] !== 0x8b || bytes[at + 3] !== 0) throw new Error(`no bare gzip member header at byte ${at}`);
    const used = (inflateRawSync(bytes.subarray(at + 10), { info: true }) as unknown as { engine: { bytesWritten: number } }).engine.bytesWritten;
    // The header, the deflate data, then CRC-32 and size.
    at += 10 + used + 8;
  }
  return members;
}
