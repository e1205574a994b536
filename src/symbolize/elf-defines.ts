// Whether an ELF64 shared object defines a function in its dynamic symbol table (`malloc`, for
// --trim-allocator): a scan of .dynsym comparing name bytes, without making the names, so a
// 5,000-symbol libcrypto costs a fraction of a millisecond rather than a full symbol read.
import { readAt, readRegularFile } from './elf.js';

const SHT_STRTAB = 3;
const SHT_DYNSYM = 11;
const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;
/** Larger tables are not read (no real .dynsym comes close): the answer is then "no". */
const MAX_TABLE_BYTES = 64 * 1024 * 1024;

/** True when `path` is an x86-64 ELF64 file whose .dynsym defines the function `name`. */
export function definesDynamicFunction(path: string, name: string): boolean {
  return readRegularFile(path, (fd, size) => defines(fd, size, Buffer.from(name + '\0', 'latin1'))) === true;
}

function defines(fd: number, size: number, wanted: Buffer): boolean {
  const within = (offset: number, length: number) => offset >= 0 && length >= 0 && length <= MAX_TABLE_BYTES && offset + length <= size;
  if (!within(0, 64)) return false;
  const eh = readAt(fd, 0, 64);
  if (eh.readUInt32BE(0) !== 0x7f454c46 || eh[4] !== 2 || eh[5] !== 1 || eh.readUInt16LE(0x12) !== 62) return false;
  const shoff = Number(eh.readBigUInt64LE(0x28));
  const shnum = eh.readUInt16LE(0x3c);
  if (eh.readUInt16LE(0x3a) !== 64 || shnum === 0 || !within(shoff, shnum * 64)) return false;
  const sh = readAt(fd, shoff, shnum * 64);
  for (let i = 0; i < shnum; i++) {
    if (sh.readUInt32LE(i * 64 + 4) !== SHT_DYNSYM) continue;
    const link = sh.readUInt32LE(i * 64 + 0x28);
    if (link >= shnum || sh.readUInt32LE(link * 64 + 4) !== SHT_STRTAB) return false;
    const symOff = Number(sh.readBigUInt64LE(i * 64 + 0x18));
    const symSize = Number(sh.readBigUInt64LE(i * 64 + 0x20));
    const strOff = Number(sh.readBigUInt64LE(link * 64 + 0x18));
    const strSize = Number(sh.readBigUInt64LE(link * 64 + 0x20));
    if (!within(symOff, symSize) || !within(strOff, strSize)) return false;
    const syms = readAt(fd, symOff, symSize - (symSize % 24));
    const strs = readAt(fd, strOff, strSize);
    for (let o = 24; o + 24 <= syms.length; o += 24) {
      const type = syms[o + 4] & 0xf;
      // Defined (a section index) functions only: an undefined malloc is a caller's import.
      if ((type !== STT_FUNC && type !== STT_GNU_IFUNC) || syms.readUInt16LE(o + 6) === 0) continue;
      const at = syms.readUInt32LE(o);
      // The first byte inline: a compare call per symbol is what made the scan slow.
      if (strs[at] !== wanted[0]) continue;
      if (at + wanted.length <= strs.length && strs.compare(wanted, 0, wanted.length, at, at + wanted.length) === 0) return true;
    }
    return false;
  }
  return false;
}
