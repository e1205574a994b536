// Error classes for problems the user can fix; the CLI prints their message alone and exits 2.

export class JeprofError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad command line: exit code 1, with a hint to --help. */
export class UsageError extends JeprofError {}

/** A profile we recognise but cannot read. `line` is 1-based; 0 when the problem is the whole file. */
export class ProfileFormatError extends JeprofError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(line > 0 ? `${file}:${line}: ${detail}` : `${file}: ${detail}`);
  }
}

/** An external tool (nm, addr2line, objdump, dot) failed in a way we cannot work around. */
export class ToolError extends JeprofError {
  constructor(
    readonly tool: string,
    readonly args: readonly string[],
    readonly stderr: string,
    message: string,
  ) {
    super(message);
  }
}
