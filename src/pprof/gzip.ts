// pprof files are gzipped protobuf (`.pb.gz`): compressing an export, and uncompressing a file
// with one clear error for damaged or truncated gzip data instead of zlib's exception.
import { createRequire } from 'node:module';
import { ProfileFormatError } from '../model/errors.js';
import { isGzip } from './sniff.js';

/**
 * node:zlib when first needed: this file is small and shared by export and import, so the bundle
 * keeps it in main, and a zlib imported here loaded with every run (1.7 ms).
 */
const zlib = () => createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');

/**
 * The gzipped encoding of `raw`, made on libuv's thread pool (an export compresses one piece
 * while it encodes the next), at level 1 as Go's runtime/pprof writes (gzip.BestSpeed). The bench
 * profile's 2.58 MB (medians of 9, one process, load 4): level 1 32.5 ms for 1.479 MiB, level 2
 * to 5 37 to 46 ms for 1.474 to 1.452 MiB, level 6 (zlib's default) 56 to 62 ms for 1.445 MiB;
 * Huffman-only and RLE 18 to 19 ms but 2.0 MiB. memLevel 9 (zlib's largest; 8 by default) took 28
 * ms for 1.484 MiB, 4 to 5 ms less in a fresh process as well. Output in chunks of 1 MiB: each
 * chunk is one trip to the pool (16 KiB by default, some 90 trips a member, made it no faster than
 * compressing on this thread).
 */
export function gzipPprof(raw: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => zlib().gzip(raw, { level: 1, memLevel: 9, chunkSize: 1 << 20 }, (e, out) => (e ? reject(e) : resolve(out))));
}

/** A pprof file's protobuf bytes: uncompressed when gzipped, else as they are. */
export function gunzipPprof(bytes: Uint8Array, name: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return zlib().gunzipSync(bytes);
  } catch (e) {
    throw new ProfileFormatError(name, 0, `damaged gzip data in a pprof profile (${gzipReason(e)})`);
  }
}

function gzipReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR') return 'the file ends too early: truncated';
  return (e as Error).message;
}
