// pprof files as @bufbuild/protobuf message objects, for tests that look inside an export or make
// a changed copy of one: the library's own decoder and encoder, independent of jeprof-ts's
// streaming writer and reader (src/pprof/to-pprof.ts, from-pprof.ts), so they check those too.
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { gzipSync } from 'node:zlib';
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
