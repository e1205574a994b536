// The call-instruction test behind doctor's "same build?", on hand-assembled x86-64 bytes, and
// the colour level doctor takes from NO_COLOR / FORCE_COLOR.
import { describe, expect, it } from 'vitest';
import { followsCall, mapLineIds } from '../../src/doctor/same-build.js';
import { colourLevel } from '../../src/cli/doctor-run.js';

/** Seven bytes ending at the return address: padding, then the instruction. */
const before = (...insn: number[]) => Uint8Array.from([...Array(7 - insn.length).fill(0x00), ...insn]);

describe('followsCall', () => {
  it('accepts each form of call that ends at the return address', () => {
    expect(followsCall(before(0xe8, 0x10, 0x20, 0x00, 0x00))).toBe(true); // call rel32
    expect(followsCall(before(0xff, 0xd0))).toBe(true); // call *%rax
    expect(followsCall(before(0x41, 0xff, 0xd4))).toBe(true); // call *%r12
    expect(followsCall(before(0xff, 0x15, 0x44, 0x33, 0x22, 0x11))).toBe(true); // call *disp32(%rip)
    expect(followsCall(before(0xff, 0x50, 0x18))).toBe(true); // call *0x18(%rax)
    expect(followsCall(before(0xff, 0x54, 0x24, 0x08))).toBe(true); // call *0x8(%rsp)
    expect(followsCall(before(0xff, 0x10))).toBe(true); // call *(%rax)
  });
  it('refuses what is not a call', () => {
    expect(followsCall(before(0x48, 0x89, 0xc7))).toBe(false); // mov %rax,%rdi
    expect(followsCall(before(0xff, 0xe0))).toBe(false); // jmp *%rax
    expect(followsCall(before(0xe9, 0x10, 0x20, 0x00, 0x00))).toBe(false); // jmp rel32
    expect(followsCall(Uint8Array.from([0xe8, 0, 0]))).toBe(false); // too short to tell
  });
});

describe('mapLineIds', () => {
  it("reads each mapping's device and inode from /proc/self/maps lines", () => {
    const ids = mapLineIds('55e8f99ee000-55e8f99f0000 r-xp 00002000 fe:00 2146522    /tmp/app\n7f00-7f10 r-xp 00000000 00:00 0  [vdso]\n');
    expect(ids.get(0x55e8f99ee000n)).toEqual({ dev: 'fe:00', inode: 2146522 });
    expect(ids.get(0x7f00n)).toEqual({ dev: '00:00', inode: 0 });
  });
});

describe('colourLevel', () => {
  it('NO_COLOR wins, FORCE_COLOR forces, else colour only at a terminal', () => {
    expect(colourLevel({ NO_COLOR: '1', FORCE_COLOR: '3' }, true)).toBe(0);
    expect(colourLevel({ FORCE_COLOR: '3' }, false)).toBe(3);
    expect(colourLevel({ FORCE_COLOR: '0' }, true)).toBe(0);
    expect(colourLevel({}, true)).toBe(1);
    expect(colourLevel({}, false)).toBe(0);
  });
});
