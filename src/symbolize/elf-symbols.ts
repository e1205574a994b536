// Reads an x86-64 ELF symbol table in-process and lists it as `nm -n` (or `nm -D -n`) would, before
// demangling, so the default symbol lookup starts no nm. Anything unusual gives undefined: run nm.
import { isAscii } from 'node:buffer';
import { readAt as readExactly, readRegularFile } from './elf.js';
import { joinHalves } from '../model/address-index.js';
import type { NmLine } from './nm-output.js';

/** Beyond this a section is not read in memory (nm does better with a file that large). */
const MAX_SECTION_BYTES = 512 * 1024 * 1024;

const SHT_PROGBITS = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_NOBITS = 8;
const SHT_DYNSYM = 11;
const SHT_GNU_VERDEF = 0x6ffffffd;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;
/** Section types BFD turns into plain sections; a symbol in any other kind makes us defer to nm. */
const PLAIN_TYPES = new Set([SHT_PROGBITS, SHT_NOBITS, 5, 6, 7, 14, 15, 16, 0x6ffffff6, 0x70000001]);
const SHN_ABS = 0xfff1;
const SHN_LORESERVE = 0xff00;
const SHF_WRITE = 1n;
const SHF_ALLOC = 2n;
const SHF_EXECINSTR = 4n;

interface Section {
  name: string;
  type: number;
  flags: bigint;
  offset: number;
  size: number;
  link: number;
}

class Malformed extends Error {}

/** A section's bytes; damage when it lies past the end of the file or is too big to hold. */
function readAt(fd: number, fileSize: number, offset: number, length: number): Buffer {
  if (offset < 0 || length < 0 || length > MAX_SECTION_BYTES || offset + length > fileSize) throw new Malformed();
  return readExactly(fd, offset, length);
}

/** Where a NUL-terminated string of a string table ends; a missing terminator or an offset past it is damage. */
function cStringEnd(table: Buffer, offset: number): number {
  if (offset >= table.length) throw new Malformed();
  const end = table.indexOf(0, offset);
  if (end < 0) throw new Malformed();
  return end;
}

function cString(table: Buffer, offset: number): Buffer {
  return table.subarray(offset, cStringEnd(table, offset));
}

/**
 * The defined symbols `nm -n` (dynamic: `nm -D -n`) prints for an ELF64 little-endian x86-64
 * executable or shared object, in nm's order, names raw (dynamic ones with nm's `@VER`/`@@VER`).
 * Undefined when the file is something else or anything in it is out of the ordinary.
 */
export function readElfSymbols(path: string, dynamic: boolean, at?: ReadonlySet<string>): NmLine[] | undefined {
  return readRegularFile(path, (fd, size) => readSymbols(fd, size, dynamic, at));
}

/**
 * `at`: only the lines whose address (nm's 16 digits) is among these, in the same order; every
 * symbol is still checked as for the whole listing, so a file nm must read gives undefined alike.
 * The pprof export looks up a few names in libstdc++'s 6,000: sorting and naming all of them cost
 * most of its 13 to 20 ms there.
 */
function readSymbols(fd: number, fileSize: number, dynamic: boolean, at?: ReadonlySet<string>): NmLine[] | undefined {
  const eh = readAt(fd, fileSize, 0, 64);
  if (eh.readUInt32BE(0) !== 0x7f454c46 || eh[4] !== 2 || eh[5] !== 1) return undefined;
  const type = eh.readUInt16LE(0x10);
  // Relocatable files keep section-relative values (nm adds section addresses): leave them to nm.
  if ((type !== 2 && type !== 3) || eh.readUInt16LE(0x12) !== 62) return undefined;
  const shoff = Number(eh.readBigUInt64LE(0x28));
  const shentsize = eh.readUInt16LE(0x3a);
  const shnum = eh.readUInt16LE(0x3c);
  const shstrndx = eh.readUInt16LE(0x3e);
  if (shoff === 0 || shnum === 0 || shentsize !== 64 || shstrndx >= shnum) return undefined;
  const table = readAt(fd, fileSize, shoff, shnum * 64);
  const raw = (i: number) => ({
    name: table.readUInt32LE(i * 64),
    type: table.readUInt32LE(i * 64 + 4),
    flags: table.readBigUInt64LE(i * 64 + 8),
    offset: Number(table.readBigUInt64LE(i * 64 + 0x18)),
    size: Number(table.readBigUInt64LE(i * 64 + 0x20)),
    link: table.readUInt32LE(i * 64 + 0x28),
    entsize: Number(table.readBigUInt64LE(i * 64 + 0x38)),
  });
  const shstr = raw(shstrndx);
  const names = readAt(fd, fileSize, shstr.offset, shstr.size);
  const sections: Section[] = [];
  for (let i = 0; i < shnum; i++) {
    const s = raw(i);
    sections.push({ ...s, name: i === 0 ? '' : cString(names, s.name).toString('latin1') });
  }
  const wanted = dynamic ? SHT_DYNSYM : SHT_SYMTAB;
  const symIndex = sections.findIndex((s) => s.type === wanted);
  if (symIndex < 0) return [];
  // BFD warns about and ignores a second table; let nm say so.
  if (sections.findIndex((s, i) => i > symIndex && s.type === wanted) >= 0) return undefined;
  const symtab = sections[symIndex];
  if (raw(symIndex).entsize !== 24 || symtab.link >= shnum || sections[symtab.link].type !== SHT_STRTAB) return undefined;
  const syms = readAt(fd, fileSize, symtab.offset, symtab.size - (symtab.size % 24));
  const strtab = readAt(fd, fileSize, sections[symtab.link].offset, sections[symtab.link].size);
  const count = syms.length / 24;
  const versions = dynamic ? readVersions(fd, fileSize, sections, count) : undefined;
  if (versions === null) return undefined;

  // The string table as one string when it is ASCII (almost always): finding and cutting names
  // in a string is V8's own work, where a Buffer call per name (indexOf, toString, compare) went
  // through C++ each time. Latin-1 decoding keeps one character per byte, so offsets and strcmp
  // order hold either way; names are decoded as UTF-8 per name only when the table is not ASCII.
  const ascii = isAscii(strtab);
  const text = strtab.toString('latin1');
  // Columns of plain numbers and offsets into the string table, not an object per symbol: a big
  // table must not become garbage.
  const his = new Uint32Array(count);
  const los = new Uint32Array(count);
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  const types: string[] = new Array(count);
  const order: number[] = [];
  const letters = new Map<number, string>();
  const view = new DataView(syms.buffer, syms.byteOffset, syms.length);
  for (let i = 1; i < count; i++) {
    const o = i * 24;
    const info = syms[o + 4];
    const shndx = view.getUint16(o + 6, true);
    const stType = info & 0xf;
    // Section and file symbols are BFD debugging symbols, which nm does not list; undefined ones
    // print without an address, which the procedure table ignores.
    if (stType === 3 || stType === 4 || shndx === 0) continue;
    const key = shndx * 256 + info;
    let type = letters.get(key);
    if (type === undefined) {
      type = typeLetter(info >> 4, stType, shndx, sections);
      if (type === undefined) return undefined;
      letters.set(key, type);
    }
    const start = view.getUint32(o, true);
    if (start >= text.length) throw new Malformed();
    const end = text.indexOf('\0', start);
    if (end < 0) throw new Malformed();
    his[i] = view.getUint32(o + 12, true);
    los[i] = view.getUint32(o + 8, true);
    if (at && !at.has(hex8(his[i]) + hex8(los[i]))) continue;
    starts[i] = start;
    ends[i] = end;
    types[i] = type;
    order.push(i);
  }
  // nm -n: by value, then strcmp on the names without versions (LC_ALL=C), then table order
  // (glibc's qsort is a stable merge sort); the version is added only when printing.
  order.sort((a, b) => his[a] - his[b] || los[a] - los[b] || compareRanges(text, starts[a], ends[a], starts[b], ends[b]) || a - b);
  const lines: NmLine[] = [];
  const breaks = strtab.indexOf(10) >= 0 || strtab.indexOf(13) >= 0 || strtab.indexOf('\u2028') >= 0 || strtab.indexOf('\u2029') >= 0;
  // Most symbols share the high half of their address (0 in a shared library): its text once.
  let hiText = hex8(0);
  let hiLast = 0;
  for (const i of order) {
    const raw = text.slice(starts[i], ends[i]);
    const bare = ascii ? raw : strtab.toString('utf8', starts[i], ends[i]);
    const name = versions ? bare + versions.suffix(raw, i) : bare;
    // nm's line for an empty name has nothing after the letter, and jeprof's pattern skips it.
    if (name === '') continue;
    // A line break in a name would cut nm's line where jeprof reads it: leave such files to nm.
    if (breaks && /[\n\r\u2028\u2029]/.test(name)) return undefined;
    const hi = his[i];
    if (hi !== hiLast) {
      hiLast = hi;
      hiText = hex8(hi);
    }
    const lo = los[i];
    // The value as a BigInt: from one double while exact (below 2^53), else from the halves.
    const value = hi < 0x200000 ? BigInt(joinHalves(hi, lo)) : (BigInt(hi) << 32n) | BigInt(lo);
    lines.push({ addr: hiText + hex8(lo), type: types[i], name, value });
  }
  return lines;
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** strcmp of text[aStart, aEnd) and text[bStart, bEnd): Latin-1 characters compare as bytes. */
function compareRanges(text: string, aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  const a = text.slice(aStart, aEnd);
  const b = text.slice(bStart, bEnd);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** bfd_decode_symclass for an ELF symbol; undefined where BFD would do something we do not model. */
function typeLetter(bind: number, stType: number, shndx: number, sections: Section[]): string | undefined {
  let section: Section | undefined;
  if (shndx === SHN_ABS) section = undefined;
  else if (shndx >= SHN_LORESERVE || shndx >= sections.length) return undefined;
  else {
    section = sections[shndx];
    if (!PLAIN_TYPES.has(section.type)) return undefined;
  }
  if (stType === 10) return 'i'; // STT_GNU_IFUNC
  if (bind === 2) return stType === 1 || stType === 5 ? 'V' : 'W'; // weak: object or not
  if (bind === 10) return 'u'; // STB_GNU_UNIQUE
  if (bind !== 0 && bind !== 1) return '?';
  const c = section === undefined ? 'a' : sectionLetter(section);
  return bind === 1 ? c.toUpperCase() : c;
}

/** coff_section_type, then decode_section_type from BFD's section flags for an ELF section. */
function sectionLetter(s: Section): string {
  for (const [prefix, c] of [['.drectve', 'i'], ['.edata', 'e'], ['.idata', 'i'], ['.pdata', 'p']] as const) {
    if (s.name.startsWith(prefix) && (s.name.length === prefix.length || '.$0123456789'.includes(s.name[prefix.length]))) return c;
  }
  const alloc = (s.flags & SHF_ALLOC) !== 0n;
  const contents = s.type !== SHT_NOBITS;
  const readonly = (s.flags & SHF_WRITE) === 0n;
  if ((s.flags & SHF_EXECINSTR) !== 0n) return 't';
  if (alloc && contents) return readonly ? 'r' : 'd';
  if (!contents) return 'b';
  if (!alloc && /^\.(debug|gnu\.debuglto_\.debug_|gnu\.linkonce\.wi\.|zdebug|line|stab)/.test(s.name)) return 'N';
  if (!alloc && s.name === '.gdb_index') return 'N';
  return readonly ? 'n' : '?';
}

interface Versions {
  /** What nm adds to dynamic symbol `index`, its name in Latin-1 (a character per byte): `@@VER`, `@VER` (hidden) or nothing. */
  suffix(latin1Name: string, index: number): string;
}

/** .gnu.version with its definitions and needs; undefined without them, null when damaged. */
function readVersions(fd: number, fileSize: number, sections: Section[], count: number): Versions | undefined | null {
  const versym = sections.find((s) => s.type === SHT_GNU_VERSYM);
  const verdef = sections.find((s) => s.type === SHT_GNU_VERDEF);
  const verneed = sections.find((s) => s.type === SHT_GNU_VERNEED);
  if (!versym || (!verdef && !verneed)) return undefined;
  if (Math.floor(versym.size / 2) !== count) return null;
  const ver = readAt(fd, fileSize, versym.offset, count * 2);
  /** A version section's bytes and the string table it links to; undefined when the link is bad. */
  const withStrings = (s: Section) => (s.link < sections.length ? { data: readAt(fd, fileSize, s.offset, s.size), str: readAt(fd, fileSize, sections[s.link].offset, sections[s.link].size) } : undefined);
  const defs: (Buffer | undefined)[] = [];
  let baseFlag = false;
  if (verdef) {
    const sec = withStrings(verdef);
    if (!sec) return null;
    const { data, str } = sec;
    for (let o = 0, n = 0; n < 65536; n++) {
      if (o + 20 > data.length) return null;
      const flags = data.readUInt16LE(o + 2);
      const ndx = data.readUInt16LE(o + 4) & 0x7fff;
      const cnt = data.readUInt16LE(o + 6);
      const aux = data.readUInt32LE(o + 12);
      const next = data.readUInt32LE(o + 16);
      if (ndx === 0) return null;
      if (n === 0) baseFlag = flags === 1;
      if (cnt > 0) {
        if (o + aux + 8 > data.length) return null;
        defs[ndx - 1] = cString(str, data.readUInt32LE(o + aux));
      }
      if (next === 0) break;
      o += next;
    }
  }
  const needs = new Map<number, Buffer>();
  if (verneed) {
    const sec = withStrings(verneed);
    if (!sec) return null;
    const { data, str } = sec;
    for (let o = 0, n = 0; n < 65536; n++) {
      if (o + 16 > data.length) return null;
      const cnt = data.readUInt16LE(o + 2);
      let a = o + data.readUInt32LE(o + 8);
      // BFD takes the first match within one library's list and the last library that has one.
      const here = new Set<number>();
      for (let k = 0; k < cnt; k++) {
        if (a + 16 > data.length) return null;
        const other = data.readUInt16LE(a + 6);
        if (!here.has(other)) needs.set(other, cString(str, data.readUInt32LE(a + 8)));
        here.add(other);
        const nextAux = data.readUInt32LE(a + 12);
        if (nextAux === 0) break;
        a += nextAux;
      }
      const next = data.readUInt32LE(o + 12);
      if (next === 0) break;
      o += next;
    }
  }
  const cverdefs = defs.length;
  const text = new Map<Buffer, string>();
  const named = (b: Buffer) => text.get(b) ?? (text.set(b, b.toString('utf8')), text.get(b)!);
  const bytes = new Map<Buffer, string>();
  const latin1 = (b: Buffer) => bytes.get(b) ?? (bytes.set(b, b.toString('latin1')), bytes.get(b)!);
  return {
    suffix(latin1Name: string, index: number): string {
      const v = ver.readUInt16LE(index * 2);
      let hidden = (v & 0x8000) !== 0;
      const num = v & 0x7fff;
      let version: Buffer | undefined;
      if (num === 0) return '';
      if (num === 1 && (num > cverdefs || baseFlag)) return '';
      if (num <= cverdefs) {
        version = defs[num - 1];
        // A version's own symbol (`GLIBC_2.2.5`) is shown bare.
        if (version === undefined || latin1(version) === latin1Name) return '';
      } else {
        hidden = true;
        version = needs.get(num) ?? Buffer.from('<corrupt>');
      }
      if (version.length === 0) return '';
      return (hidden ? '@' : '@@') + named(version);
    },
  };
}
