// Reads just enough of an ELF file's headers: the .text section (what jeprof asks `objdump -h`
// for) and the GNU build id. Only regular files are opened, and only header bytes are read.
import { closeSync, fstatSync, openSync, readSync, statSync, constants } from 'node:fs';

export interface TextSection {
  /** Virtual address of .text as linked (objdump's VMA). */
  vma: bigint;
  /** File offset of .text. */
  fileOffset: bigint;
  size: bigint;
}

export interface ElfInfo {
  text?: TextSection;
  buildId?: string;
  /** Has a .symtab: without one, `nm` (not `nm -D`) can only say "no symbols". */
  hasSymtab?: boolean;
  /** The file name in .gnu_debuglink: where binutils looks for separate debug information. */
  debugLink?: string;
  /** The file name in .gnu_debugaltlink: dwz's file of DWARF shared by several debug files. */
  debugAltLink?: string;
}

const MAX_HEADER_BYTES = 16 * 1024 * 1024;

/** Exactly `length` bytes at `offset`; throws when the file ends first. */
export function readAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  for (let done = 0; done < length; ) {
    const n = readSync(fd, buf, done, length - done, offset + done);
    if (n <= 0) throw new Error('short read');
    done += n;
  }
  return buf;
}

/**
 * `read` on a regular file and its size; undefined when the path is anything else or `read`
 * throws. O_NONBLOCK: opening a FIFO must never wait for a writer; the type is checked right after.
 */
export function readRegularFile<T>(path: string, read: (fd: number, size: number) => T | undefined): T | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    return st.isFile() ? read(fd, st.size) : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Readers for an ELF file's fields in its class (32/64-bit) and byte order, from its first 64 bytes. */
export function elfFields(ident: Buffer) {
  const is64 = ident[4] === 2;
  const le = ident[5] === 1;
  const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const u64 = (b: Buffer, o: number) => (le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o));
  const word = (b: Buffer, o: number) => (is64 ? u64(b, o) : BigInt(u32(b, o)));
  return { is64, le, u16, u32, u64, word };
}

/** Header facts of an ELF file, or undefined when it is not a readable regular ELF file. */
export function readElfInfo(path: string): ElfInfo | undefined {
  return readRegularFile(path, (fd, size) => {
    if (size < 64) return undefined;
    const ident = readAt(fd, 0, 64);
    if (ident.readUInt32BE(0) !== 0x7f454c46) return undefined;
    const { is64, u16, u32, u64, word } = elfFields(ident);
    const shoff = Number(is64 ? u64(ident, 0x28) : BigInt(u32(ident, 0x20)));
    const shentsize = u16(ident, is64 ? 0x3a : 0x2e);
    const shnum = u16(ident, is64 ? 0x3c : 0x30);
    const shstrndx = u16(ident, is64 ? 0x3e : 0x32);
    if (shoff === 0 || shnum === 0 || shstrndx >= shnum) return {};
    const tableBytes = shentsize * shnum;
    if (tableBytes > MAX_HEADER_BYTES || shoff + tableBytes > size) return undefined;
    const table = readAt(fd, shoff, tableBytes);
    const sec = (i: number) => {
      const o = i * shentsize;
      return {
        name: u32(table, o),
        type: u32(table, o + 4),
        addr: word(table, o + (is64 ? 0x10 : 0x0c)),
        offset: word(table, o + (is64 ? 0x18 : 0x10)),
        size: word(table, o + (is64 ? 0x20 : 0x14)),
      };
    };
    const strtab = sec(shstrndx);
    if (strtab.size > BigInt(MAX_HEADER_BYTES) || strtab.offset + strtab.size > BigInt(size)) return undefined;
    const names = readAt(fd, Number(strtab.offset), Number(strtab.size));
    const nameOf = (o: number) => {
      const end = names.indexOf(0, o);
      return names.toString('latin1', o, end < 0 ? names.length : end);
    };
    const info: ElfInfo = { hasSymtab: false };
    for (let i = 0; i < shnum; i++) {
      const s = sec(i);
      const name = nameOf(s.name);
      if (name === '.text' && !info.text) info.text = { vma: s.addr, fileOffset: s.offset, size: s.size };
      if (s.type === 2) info.hasSymtab = true; // SHT_SYMTAB
      if ((name === '.gnu_debuglink' || name === '.gnu_debugaltlink') && s.type !== 8 && s.size > 0n && s.size <= 4096n && s.offset + s.size <= BigInt(size)) {
        // The name, NUL-terminated, then a CRC (debuglink) or the alt file's build id (altlink).
        const link = readAt(fd, Number(s.offset), Number(s.size));
        const end = link.indexOf(0);
        const text = link.toString('latin1', 0, end < 0 ? link.length : end);
        if (name === '.gnu_debuglink') info.debugLink = text;
        else info.debugAltLink = text;
      }
      if (name === '.note.gnu.build-id' && s.type === 7 && s.size <= 1024n && s.offset + s.size <= BigInt(size)) {
        const note = readAt(fd, Number(s.offset), Number(s.size));
        const namesz = u32(note, 0);
        const descsz = u32(note, 4);
        const descOff = 12 + ((namesz + 3) & ~3);
        if (descOff + descsz <= note.length) info.buildId = note.toString('hex', descOff, descOff + descsz);
      }
    }
    return info;
  });
}

/**
 * Where binutils and jeprof (--debug-syms-by-id) look for a file's separate debug information by
 * its GNU build id: <root>/.build-id/<first two hex digits>/<the rest>.debug.
 */
export function buildIdDebugPath(buildId: string | undefined, debugRoot = '/usr/lib/debug'): string | undefined {
  return buildId && buildId.length > 2 ? `${debugRoot}/.build-id/${buildId.slice(0, 2)}/${buildId.slice(2)}.debug` : undefined;
}

/** Bytes addr2line reads for a file: its separate debug file by build id when there is one. */
export function debugBytes(path: string, info: ElfInfo | undefined): number {
  const byId = buildIdDebugPath(info?.buildId);
  const debug = byId ? statSync(byId, { throwIfNoEntry: false }) : undefined;
  return debug?.size ?? statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}
