// Prints what the whole run executed, from the JUnit files every package's `test` writes under
// test-results/ when CI is set, and ends with the one line CI reads: "tests: N passed, N failed".
//
// - A test case is one <testcase> of one JUnit file, counted once: no testcase wraps another
//   tool's cases (the chart runs helm-unittest beside its node tests, not inside one), and each
//   file is read once. Two cases of one file with the same title are still two cases; the title
//   is reported on stderr, since a report cannot tell them apart.
// - A skipped or todo case counts as failed: the suite has none by rule, so one is a fault.
// - Work done inside one case is reported beside the count, not in it: vitest annotations
//   (`annotate(String(n), 'fuzz-runs')`, `annotate(String(n), 'table-rows')`) become JUnit
//   properties, summed here as the fuzz runs and table rows executed.
//
// Exits 1 when no test ran at all or one failed, so an empty run can never look green.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = [];
for (const group of ['packages', 'charts']) {
  for (const name of readdirSync(join(root, group))) dirs.push(join(root, group, name));
}
dirs.push(join(root, 'nginx'));

/** Work that annotations report, by property name. */
const WORK = { 'fuzz-runs': 'fuzz runs', 'table-rows': 'table rows' };

let passed = 0;
let failed = 0;
let files = 0;
const work = Object.fromEntries(Object.keys(WORK).map((k) => [k, 0]));
const lines = [];
for (const dir of dirs) {
  const found = junitFiles(dir);
  if (found.length === 0) continue;
  files += found.length;
  const seen = new Set();
  const mine = { cases: 0, failed: 0, ...Object.fromEntries(Object.keys(WORK).map((k) => [k, 0])) };
  for (const file of found) {
    for (const testcase of testcases(readFileSync(file, 'utf8'))) {
      const key = `${relative(root, file)}\0${testcase.classname}\0${testcase.name}`;
      if (seen.has(key)) console.error(`test-summary: two cases share a title: ${testcase.name}`);
      seen.add(key);
      mine.cases++;
      if (testcase.outcome === 'passed') passed++;
      else {
        failed++;
        mine.failed++;
        console.error(`test-summary: ${testcase.outcome}: ${testcase.name} (${file})`);
      }
      for (const k of Object.keys(WORK)) mine[k] += testcase.properties[k] ?? 0;
    }
  }
  for (const k of Object.keys(WORK)) work[k] += mine[k];
  const extra = Object.entries(WORK)
    .filter(([k]) => mine[k] > 0)
    .map(([k, label]) => `, ${mine[k]} ${label}`)
    .join('');
  lines.push(`  ${relative(root, dir)}: ${mine.cases} test cases${extra}`);
}

process.stdout.write(`test-summary: ${files} JUnit files\n${lines.join('\n')}\n`);
process.stdout.write(
  `executed inside those cases: ${work['fuzz-runs']} fuzz runs, ${work['table-rows']} table rows\n`,
);
process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
process.exitCode = passed + failed === 0 || failed > 0 ? 1 : 0;

/**
 * The test cases of one JUnit document: name, class, outcome and summed numeric properties.
 * Handles vitest's, node's and helm-unittest's output (self-closing or with children).
 */
function testcases(xml) {
  const out = [];
  for (const match of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attrs = match[1] ?? '';
    const body = match[3] ?? '';
    const properties = {};
    for (const p of body.matchAll(/<property\s+name="([^"]*)"\s+value="([^"]*)"/g)) {
      const value = Number(p[2]);
      if (Number.isFinite(value)) properties[p[1]] = (properties[p[1]] ?? 0) + value;
    }
    let outcome = 'passed';
    if (/<(failure|error)\b/.test(body)) outcome = 'failed';
    else if (/<skipped\b/.test(body)) outcome = 'skipped';
    out.push({
      name: attr(attrs, 'name'),
      classname: attr(attrs, 'classname'),
      outcome,
      properties,
    });
  }
  return out;
}

function attr(attrs, name) {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1] ?? '';
}

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
