// Prints one closing line for the whole run from the JUnit files every package's `test` writes
// under test-results/ when CI is set: "tests: N passed, N failed, N skipped".
// Exits 1 when no test ran at all, so an empty run can never look green.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const files = [];
for (const group of ['packages', 'charts']) {
  for (const name of readdirSync(join(root, group)))
    files.push(...junitFiles(join(root, group, name)));
}
files.push(...junitFiles(join(root, 'nginx')));

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  // Each <testcase …/> or <testcase …>…</testcase> is one test; a failure/error child fails it.
  for (const match of readFileSync(file, 'utf8').matchAll(
    /<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g,
  )) {
    const body = match[2] ?? '';
    if (/<(failure|error)\b/.test(body)) failed++;
    else if (/<skipped\b/.test(body)) skipped++;
    else passed++;
  }
}
console.error(`test-summary: ${files.length} JUnit files`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exitCode = passed + failed === 0 || failed > 0 ? 1 : 0;

function junitFiles(dir) {
  const results = join(dir, 'test-results');
  try {
    if (!statSync(results).isDirectory()) return [];
  } catch {
    return [];
  }
  return readdirSync(results)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => join(results, f));
}
