// Writes every byte of a piece to a file descriptor, on libuv's thread pool: one write(2) call may
// take less than asked (a signal during a write to a FIFO, a full device part-way), so it is
// called again until the piece is written, while this thread goes on (a report makes its next
// piece meanwhile).
import { write } from 'node:fs';

/** fs.write's bytes form, as a promise of the bytes taken (tests give one that takes a few at a time). */
export type AsyncWriteCall = (fd: number, bytes: Uint8Array, offset: number, length: number) => Promise<number>;

const writeOnPool: AsyncWriteCall = (fd, bytes, offset, length) =>
  new Promise((resolve, reject) => write(fd, bytes, offset, length, null, (e, n) => (e ? reject(e) : resolve(n))));

/** Writes `data` (text as UTF-8) to `fd` whole; resolves once every byte is taken. */
export async function writeAll(fd: number, data: string | Uint8Array, write: AsyncWriteCall = writeOnPool): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let at = 0; at < bytes.length; ) {
    const n = await write(fd, bytes, at, bytes.length - at);
    // write(2) returns 0 only for a length of 0; a descriptor that takes nothing would loop forever.
    if (n <= 0) throw Object.assign(new Error('the write took no bytes'), { code: 'EIO' });
    at += n;
  }
}
