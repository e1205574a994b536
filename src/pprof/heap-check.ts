// Which pprof profiles jeprof-ts reports on: heap profiles. CPU, mutex, block and goroutine
// profiles are refused with one line that names what they hold.
import { JeprofError } from '../model/errors.js';
import type { SampleType } from '../model/profile.js';

/** Go's heap sample types (jeprof's four values), and jemalloc_pprof's inuse_space among them. */
const HEAP_TYPES = new Set(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);

export class NotHeapProfileError extends JeprofError {}

/** Throws when nothing in the profile says memory: no heap sample type and no `space` period. */
export function checkHeapProfile(name: string, types: readonly SampleType[], periodType: string | undefined): void {
  if (types.some((t) => HEAP_TYPES.has(t.type)) || periodType === 'space') return;
  const list = types.length === 0 ? 'none' : types.map((t) => `${t.type}/${t.unit}`).join(', ');
  throw new NotHeapProfileError(`${name}: not a heap profile: its sample types are ${list} (jeprof-ts reads heap profiles: alloc_objects, alloc_space, inuse_objects, inuse_space)`);
}
