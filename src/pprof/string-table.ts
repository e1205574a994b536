// pprof's string table as it is written: each distinct string once, "" at index 0.
import { StringTable as Interned } from '../model/string-table.js';

export class StringTable extends Interned {
  constructor() {
    super();
    this.index('');
  }

  /** The index of `s`, added on first use (a bigint: the message's int64 fields are bigints). */
  id(s: string): bigint {
    return BigInt(this.index(s));
  }
}
