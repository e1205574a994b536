// Writes every byte of a piece to a file descriptor: fs.writeSync makes one write(2) call and
// returns what it took, which may be less than asked (a signal during a write to a FIFO, a full
// device part-way); writeFileSync loops, writeSync does not.
import { write, writeSync } from 'node:fs';

/** The write call: fs.writeSync's bytes form (tests give one that takes a few bytes at a time). */
export type WriteCall = (fd: number, bytes: Uint8Array, offset: number, length: number) => number;

/** Writes `data` (text as UTF-8) to `fd` whole, calling `write` until every byte is taken. */
export function writeAllSync(fd: number, data: string | Uint8Array, write: WriteCall = writeSync): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let at = 0; at < bytes.length; ) {
    const n = write(fd, bytes, at, bytes.length - at);
    // write(2) returns 0 only for a length of 0; a descriptor that takes nothing would loop forever.
    if (n <= 0) throw Object.assign(new Error('the write took no bytes'), { code: 'EIO' });
    at += n;
  }
}

/** fs.write's bytes form, as a promise of the bytes taken (tests give one that takes a few at a time). */
export type AsyncWriteCall = (fd: number, bytes: Uint8Array, offset: number, length: number) => Promise<number>;

const writeOnPool: AsyncWriteCall = (fd, bytes, offset, length) =>
  new Promise((resolve, reject) => write(fd, bytes, offset, length, null, (e, n) => (e ? reject(e) : resolve(n))));

/**
 * writeAllSync on libuv's thread pool: the write(2) calls run there while this thread goes on (a
 * report makes its next piece meanwhile). Resolves once every byte is taken.
 */
export async function writeAll(fd: number, bytes: Uint8Array, write: AsyncWriteCall = writeOnPool): Promise<void> {
  for (let at = 0; at < bytes.length; ) {
    const n = await write(fd, bytes, at, bytes.length - at);
    if (n <= 0) throw Object.assign(new Error('the write took no bytes'), { code: 'EIO' });
    at += n;
  }
}
