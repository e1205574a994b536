// vitest global setup: builds the HTML report's page module (scripts/page-bundle.mjs), so render.ts
// imports from src work in a targeted run without `npm run build`. Rewrites it only when it changed.
export default async function setup(): Promise<void> {
  // @ts-expect-error: a plain .mjs build script, no types
  const { buildPageAssets } = await import('../../scripts/page-bundle.mjs');
  await buildPageAssets();
}
