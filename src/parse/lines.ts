// Splits profile text into lines without building one huge array; jeprof drops every \r.

export interface TextLine {
  /** 1-based line number in the file. */
  number: number;
  /** The line without its newline and with every \r removed, as jeprof's `s/\r//g`. */
  text: string;
}

export class LineReader {
  private pos = 0;
  private lineNo = 0;

  constructor(private readonly data: string) {}

  next(): TextLine | undefined {
    if (this.pos >= this.data.length) return undefined;
    let end = this.data.indexOf('\n', this.pos);
    if (end < 0) end = this.data.length;
    let text = this.data.slice(this.pos, end);
    this.pos = end + 1;
    this.lineNo++;
    if (text.includes('\r')) text = text.replace(/\r/g, '');
    return { number: this.lineNo, text };
  }

  /** Everything not yet read, as it stands in the file (with \r removed). */
  rest(): string {
    const r = this.data.slice(this.pos);
    this.pos = this.data.length;
    return r.includes('\r') ? r.replace(/\r/g, '') : r;
  }

  get lineNumber(): number {
    return this.lineNo;
  }
}
