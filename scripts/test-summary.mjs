// Prints vitest's result counts as one plain closing line ("N passed, N failed, N skipped").
import { readFileSync } from 'node:fs';

try {
  const r = JSON.parse(readFileSync('.vitest-results.json', 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
  if (r.numTotalTests === 0) console.log('no tests ran');
} catch (e) {
  console.log(`test summary unavailable: ${e.message}`);
}
