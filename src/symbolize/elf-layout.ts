// An ELF file's layout beyond the headers elf.ts reads: loadable segments, the interpreter, the
// dynamic section (DT_NEEDED, RPATH, RUNPATH) and named sections, for `record` and `doctor`.
// Read in-process, never through ldd, which may run the program it is asked about.
import { elfFields, readAt, readRegularFile } from './elf.js';

export interface LoadSegment {
  /** Link-time virtual address of the segment. */
  vaddr: bigint;
  /** File offset of its first byte. */
  offset: bigint;
  /** Bytes of the file it maps. */
  filesz: bigint;
  /** Bytes in memory (filesz plus zero-filled .bss). */
  memsz: bigint;
  /** PF_X = 1, PF_W = 2, PF_R = 4. */
  flags: number;
}

export interface ElfSection {
  name: string;
  type: number;
  offset: bigint;
  size: bigint;
}

export interface ElfLayout {
  /** e_machine: 62 is x86-64. */
  machine: number;
  /** e_type: 2 executable, 3 shared object or PIE. */
  type: number;
  /** PT_INTERP: the dynamic loader; absent in a statically linked executable. */
  interp?: string;
  loads: LoadSegment[];
  needed: string[];
  rpath?: string;
  runpath?: string;
  sections: ElfSection[];
  /** File size in bytes. */
  size: number;
}

/** Beyond this a table is not read: no sane ELF file has one so large. */
const MAX_TABLE_BYTES = 16 * 1024 * 1024;
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NEEDED = 1n;
const DT_STRTAB = 5n;
const DT_STRSZ = 10n;
const DT_RPATH = 15n;
const DT_RUNPATH = 29n;

/** The layout of a regular ELF file, or undefined when the path is anything else or damaged. */
export function readElfLayout(path: string): ElfLayout | undefined {
  return readRegularFile(path, (fd, size) => {
    if (size < 64) return undefined;
    const eh = readAt(fd, 0, 64);
    if (eh.readUInt32BE(0) !== 0x7f454c46) return undefined;
    const { is64, u16, u32, word } = elfFields(eh);
    const table = (off: bigint, entsize: number, count: number): Buffer | undefined => {
      const bytes = entsize * count;
      if (bytes === 0 || bytes > MAX_TABLE_BYTES || off + BigInt(bytes) > BigInt(size)) return undefined;
      return readAt(fd, Number(off), bytes);
    };
    const layout: ElfLayout = { machine: u16(eh, 0x12), type: u16(eh, 0x10), loads: [], needed: [], sections: [], size };

    const phoff = word(eh, is64 ? 0x20 : 0x1c);
    const phentsize = u16(eh, is64 ? 0x36 : 0x2a);
    const ph = table(phoff, phentsize, u16(eh, is64 ? 0x38 : 0x2c));
    let dynamic: { offset: bigint; size: bigint } | undefined;
    for (let i = 0; ph && i < ph.length / phentsize; i++) {
      const o = i * phentsize;
      const type = u32(ph, o);
      // ELF64 puts p_flags second; ELF32 puts it after p_memsz.
      const flags = is64 ? u32(ph, o + 4) : u32(ph, o + 24);
      const offset = word(ph, o + (is64 ? 8 : 4));
      const vaddr = word(ph, o + (is64 ? 16 : 8));
      const filesz = word(ph, o + (is64 ? 32 : 16));
      const memsz = word(ph, o + (is64 ? 40 : 20));
      if (type === PT_LOAD) layout.loads.push({ vaddr, offset, filesz, memsz, flags });
      if (type === PT_DYNAMIC) dynamic = { offset, size: filesz };
      if (type === PT_INTERP && filesz > 0n && filesz < 4096n && offset + filesz <= BigInt(size)) {
        const text = readAt(fd, Number(offset), Number(filesz));
        const end = text.indexOf(0);
        layout.interp = text.toString('latin1', 0, end < 0 ? text.length : end);
      }
    }

    if (dynamic && dynamic.size > 0n && dynamic.size <= BigInt(MAX_TABLE_BYTES) && dynamic.offset + dynamic.size <= BigInt(size)) {
      const entsize = is64 ? 16 : 8;
      const dyn = readAt(fd, Number(dynamic.offset), Number(dynamic.size));
      const entries: { tag: bigint; val: bigint }[] = [];
      for (let o = 0; o + entsize <= dyn.length; o += entsize) {
        const tag = word(dyn, o);
        if (tag === 0n) break;
        entries.push({ tag, val: word(dyn, o + entsize / 2) });
      }
      // DT_STRTAB is a run-time address: the file offset comes from the segment that holds it.
      const strtab = entries.find((e) => e.tag === DT_STRTAB)?.val;
      const strsz = entries.find((e) => e.tag === DT_STRSZ)?.val ?? 0n;
      const at = strtab === undefined ? undefined : fileOffsetOf(layout.loads, strtab);
      if (at !== undefined && strsz > 0n && strsz <= BigInt(MAX_TABLE_BYTES) && at + strsz <= BigInt(size)) {
        const strings = readAt(fd, Number(at), Number(strsz));
        const str = (off: bigint) => {
          if (off >= BigInt(strings.length)) return '';
          const end = strings.indexOf(0, Number(off));
          return strings.toString('utf8', Number(off), end < 0 ? strings.length : end);
        };
        for (const e of entries) {
          if (e.tag === DT_NEEDED) layout.needed.push(str(e.val));
          else if (e.tag === DT_RPATH) layout.rpath = str(e.val);
          else if (e.tag === DT_RUNPATH) layout.runpath = str(e.val);
        }
      }
    }

    const shoff = word(eh, is64 ? 0x28 : 0x20);
    const shentsize = u16(eh, is64 ? 0x3a : 0x2e);
    const shstrndx = u16(eh, is64 ? 0x3e : 0x32);
    const sh = shoff === 0n ? undefined : table(shoff, shentsize, u16(eh, is64 ? 0x3c : 0x30));
    if (sh && shstrndx < sh.length / shentsize) {
      const sec = (i: number) => {
        const o = i * shentsize;
        return { name: u32(sh, o), type: u32(sh, o + 4), offset: word(sh, o + (is64 ? 0x18 : 0x10)), size: word(sh, o + (is64 ? 0x20 : 0x14)) };
      };
      const strs = sec(shstrndx);
      const names = strs.size <= BigInt(MAX_TABLE_BYTES) && strs.offset + strs.size <= BigInt(size) ? readAt(fd, Number(strs.offset), Number(strs.size)) : Buffer.alloc(0);
      for (let i = 1; i < sh.length / shentsize; i++) {
        const s = sec(i);
        const end = names.indexOf(0, s.name);
        const name = s.name < names.length ? names.toString('latin1', s.name, end < 0 ? names.length : end) : '';
        layout.sections.push({ name, type: s.type, offset: s.offset, size: s.size });
      }
    }
    return layout;
  });
}

/** The file offset of run-time address `vaddr` (as linked), through the loadable segment that maps it. */
export function fileOffsetOf(loads: readonly LoadSegment[], vaddr: bigint): bigint | undefined {
  const seg = loads.find((s) => vaddr >= s.vaddr && vaddr < s.vaddr + s.filesz);
  return seg ? seg.offset + (vaddr - seg.vaddr) : undefined;
}

/** True when a section of that name holds bytes in the file (SHT_NOBITS ones, as in debug files, do not). */
export function hasSectionData(layout: ElfLayout, name: string): boolean {
  return layout.sections.some((s) => s.name === name && s.type !== 8 && s.size > 0n);
}

/**
 * The bytes of the sections whose names pass `wanted` (read-only data, say), each at most
 * `maxBytes`; sections without file bytes are skipped.
 */
export function readSectionBytes(path: string, layout: ElfLayout, wanted: (name: string) => boolean, maxBytes = 256 * 1024 * 1024): Buffer[] {
  const chosen = layout.sections.filter((s) => wanted(s.name) && s.type !== 8 && s.size > 0n && s.size <= BigInt(maxBytes) && s.offset + s.size <= BigInt(layout.size));
  if (chosen.length === 0) return [];
  return readRegularFile(path, (fd) => chosen.map((s) => readAt(fd, Number(s.offset), Number(s.size)))) ?? [];
}

/** Bytes [offset, offset + length) of a regular file, fewer at its end; undefined when unreadable. */
export function readFileRange(path: string, ranges: readonly { offset: number; length: number }[]): (Buffer | undefined)[] | undefined {
  return readRegularFile(path, (fd, size) =>
    ranges.map((r) => {
      if (r.offset < 0 || r.offset >= size) return undefined;
      return readAt(fd, r.offset, Math.min(r.length, size - r.offset));
    }),
  );
}
