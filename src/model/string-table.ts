// A string table: each string stored once and referred to by its index (the HTML page's data, pprof's string_table).

export class StringTable {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();

  /** The index of `s`, added at the end the first time it is seen. */
  index(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, id);
    }
    return id;
  }
}
