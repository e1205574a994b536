// Is the file on this disk the build the dump was made with? jemalloc's dumps carry no build id,
// so the file is checked against what the dump does say: the mapping's offset and length, its
// inode, and above all the sampled return addresses, each of which must follow a call instruction.
import { statSync } from 'node:fs';
import { fileOffsetOf, readFileRange, type ElfLayout } from '../symbolize/elf-layout.js';

export type BuildVerdict = 'same' | 'other' | 'likely-same' | 'unknown';

export interface BuildCheck {
  verdict: BuildVerdict;
  /** Return addresses checked, and how many follow a call instruction (x86-64 only). */
  returns?: { checked: number; afterCall: number };
  /** The dump's mapping agrees with the file's executable segment (offset and page-rounded length). */
  layout?: boolean;
  /** Same device and inode as in the dump: the very file that ran (meaningful on the machine that ran it). */
  sameInode?: boolean;
  /** Why, in words. */
  detail: string;
  /** The same, short, for a table cell. */
  brief: string;
}

const PAGE = 4096n;
const pageDown = (n: bigint) => n & ~(PAGE - 1n);
const pageUp = (n: bigint) => (n + PAGE - 1n) & ~(PAGE - 1n);

/**
 * x86-64 call instructions that end right before `ret` (b holds the 7 bytes before it): E8 rel32,
 * and FF /2 with each addressing form (register, [reg], [reg+disp8], [reg+disp32], RIP-relative,
 * SIB). A return address of a real frame always follows one; a random byte position does for a
 * few percent of positions.
 */
export function followsCall(b: Uint8Array): boolean {
  if (b.length < 7) return false;
  const at = (k: number) => b[7 - k];
  const modrm2 = at(1);
  if (at(5) === 0xe8) return true;
  if (at(2) === 0xff && ((modrm2 & 0xf8) === 0xd0 || ((modrm2 & 0xf8) === 0x10 && modrm2 !== 0x14 && modrm2 !== 0x15))) return true;
  if (at(3) === 0xff && (at(2) === 0x14 || ((at(2) & 0xf8) === 0x50 && at(2) !== 0x54))) return true;
  if (at(4) === 0xff && at(3) === 0x54) return true;
  if (at(6) === 0xff && (at(5) === 0x15 || ((at(5) & 0xf8) === 0x90 && at(5) !== 0x94))) return true;
  if (at(7) === 0xff && (at(6) === 0x94 || at(6) === 0x14)) return true;
  return false;
}

export interface DumpMapping {
  start: bigint;
  /** End as /proc/self/maps writes it. */
  limit: bigint;
  offset: bigint;
  /** `major:minor` in hex and the inode, from the maps line; absent for a hand-written map. */
  dev?: string;
  inode?: number;
}

/** The device and inode of each mapping in a MAPPED_LIBRARIES text, by start address. */
export function mapLineIds(mapText: string): Map<bigint, { dev: string; inode: number }> {
  const out = new Map<bigint, { dev: string; inode: number }>();
  for (const l of mapText.split('\n')) {
    const m = /^([0-9a-f]+)-[0-9a-f]+\s+\S+\s+[0-9a-f]+\s+([0-9a-f]+:[0-9a-f]+)\s+(\d+)/i.exec(l);
    if (m) out.set(BigInt('0x' + m[1]), { dev: m[2].toLowerCase(), inode: Number(m[3]) });
  }
  return out;
}

function sameInode(path: string, m: DumpMapping): boolean | undefined {
  if (m.dev === undefined || m.inode === undefined || m.inode === 0) return undefined;
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return undefined;
  const [major, minor] = m.dev.split(':').map((h) => parseInt(h, 16));
  // glibc's makedev for the small numbers /proc/self/maps shows.
  const dev = ((major & 0xfff) << 8) | (minor & 0xff) | ((minor & ~0xff) << 12);
  return st.ino === m.inode && st.dev === dev;
}

/**
 * Checks `path` (its layout read already) against the dump. `returns` are the sampled return
 * addresses that fall in this mapping, as run-time addresses; `m` undefined means the PCs were
 * read against the file at its link-time addresses (a program the map does not name).
 */
export function checkSameBuild(path: string, layout: ElfLayout, m: DumpMapping | undefined, returns: readonly bigint[]): BuildCheck {
  const check: BuildCheck = { verdict: 'unknown', detail: '', brief: '' };
  const reasons: string[] = [];
  if (m) {
    const code = layout.loads.find((s) => (s.flags & 1) !== 0 && pageDown(s.offset) === m.offset);
    const length = m.limit - m.start;
    check.layout = code !== undefined && pageUp(code.vaddr + code.filesz) - pageDown(code.vaddr) === length;
    if (!check.layout) reasons.push(`the dump maps ${length} bytes of code at file offset 0x${m.offset.toString(16)}; this file has ${code ? `${pageUp(code.vaddr + code.filesz) - pageDown(code.vaddr)} bytes there` : 'no code segment there'}`);
    check.sameInode = sameInode(path, m);
  }
  if (layout.machine === 62 && returns.length > 0) {
    const offsets = returns.map((pc) => (m ? pc - m.start + m.offset : fileOffsetOf(layout.loads, pc)));
    const ranges = offsets.map((o) => (o === undefined || o < 7n ? { offset: -1, length: 0 } : { offset: Number(o - 7n), length: 7 }));
    const bytes = readFileRange(path, ranges) ?? [];
    let afterCall = 0;
    for (const b of bytes) if (b && followsCall(b)) afterCall++;
    check.returns = { checked: returns.length, afterCall };
  }
  const r = check.returns;
  const share = r && r.checked > 0 ? r.afterCall / r.checked : undefined;
  const calls = r ? `${r.afterCall} of ${r.checked} sampled return addresses follow a call instruction` : '';
  if (check.layout === false || (share !== undefined && r!.checked >= 3 && share < 0.5)) {
    check.verdict = 'other';
    if (share !== undefined) reasons.push(calls);
  } else if (share !== undefined && share >= 0.9 && (r!.checked >= 5 || check.layout === true)) {
    // A random byte position follows a call a few percent of the time: five in a row, or fewer
    // in a segment of the very offset and size, do not happen by chance.
    check.verdict = 'same';
    reasons.push(calls);
  } else if (check.layout === true || (share !== undefined && share >= 0.9)) {
    check.verdict = 'likely-same';
    reasons.push(share !== undefined ? `${calls} (too few to be sure)` : 'its code segment has the offset and size the dump maps');
  } else if (share !== undefined) {
    reasons.push(calls);
  }
  if (check.sameInode === true) reasons.push('the very file that ran (same inode)');
  else if (check.sameInode === false) reasons.push('not the file that ran (another inode: replaced since, copied, or the dump is from another machine)');
  check.detail = reasons.join('; ');
  const short = [];
  if (check.layout === false) short.push('other layout');
  if (r) short.push(`${r.afterCall}/${r.checked} calls`);
  if (check.sameInode === false) short.push('other inode');
  check.brief = short.join(', ');
  return check;
}
