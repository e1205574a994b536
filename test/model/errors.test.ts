// Tests the error classes (src/model/errors.ts): ProfileFormatError's file:line message and class names.
import { describe, expect, it } from 'vitest';
import { JeprofError, ProfileFormatError, ToolError, UsageError } from '../../src/model/errors.js';

describe('errors', () => {
  it('ProfileFormatError names file and line', () => {
    const e = new ProfileFormatError('x.heap', 4, 'bad count');
    expect(e.message).toBe('x.heap:4: bad count');
    expect([e.file, e.line, e.detail]).toEqual(['x.heap', 4, 'bad count']);
    expect(e).toBeInstanceOf(JeprofError);
    expect(e.name).toBe('ProfileFormatError');
  });

  it('ProfileFormatError with line 0 names the file only', () => {
    expect(new ProfileFormatError('x.heap', 0, 'file is empty').message).toBe('x.heap: file is empty');
  });

  it('UsageError and ToolError are JeprofErrors with their own names', () => {
    expect(new UsageError('bad flag')).toBeInstanceOf(JeprofError);
    expect(new UsageError('bad flag').name).toBe('UsageError');
    const t = new ToolError('nm', ['-n', 'a.out'], 'no symbols', 'nm failed');
    expect([t.name, t.tool, t.args, t.stderr, t.message]).toEqual(['ToolError', 'nm', ['-n', 'a.out'], 'no symbols', 'nm failed']);
  });
});
