// --demo: the bundled real leak (fixtures/demo/demo.json names its files), read from wherever the
// package lives; its dumps name /opt/jeprof-corpus/seed-leak, so --map-path points there.
import { readFileSync } from 'node:fs';

interface DemoManifest {
  profileRoot: string;
  localRoot: string;
  program: string;
  base: string;
  profile: string;
  series: string[];
}

function manifest(): { m: DemoManifest; root: string } {
  const demo = new URL('../../fixtures/demo/', import.meta.url);
  const m = JSON.parse(readFileSync(new URL('demo.json', demo), 'utf8')) as DemoManifest;
  return { m, root: new URL(m.localRoot.replace(/\/?$/, '/'), demo).pathname };
}

/** jeprof's arguments for the demo: its first and last interval dump, the one as --base. */
export function demoArgs(): string[] {
  const { m, root } = manifest();
  return [`--map-path=${m.profileRoot}=${root}`, `--base=${root}${m.base}`, root + m.program, root + m.profile];
}

/** The demo's whole interval series, for trend: --map-path, then the program and every dump. */
export function demoSeries(): { mapPath: string; files: string[] } {
  const { m, root } = manifest();
  return { mapPath: `${m.profileRoot}=${root}`, files: [root + m.program, ...m.series.map((f) => root + f)] };
}
