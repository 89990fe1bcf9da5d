import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/repo-paths.js';
import { rowNames, testTitles } from '../src/test-titles.js';
import { threatModelReferences, titleMatches } from '../src/threat-model-references.js';

// docs/threat-model.md names, for every threat, the tests that prove its control. This keeps those
// names honest: every file exists and every title named in it is a test (or a row of a table the
// file runs) that exists. Runs no stack: the files are read, not executed.

const DOC = join(REPO_ROOT, 'docs', 'threat-model.md');
const TESTING = join(REPO_ROOT, 'packages', 'auth-core', 'src', 'testing');
const MATRIX_ROWS = readdirSync(TESTING)
  .filter((f) => f.endsWith('.ts'))
  .flatMap((f) => rowNames(join(TESTING, f)));

/** What a title in the doc may name in a file: its test titles, and for table-driven files the rows. */
function namesIn(path: string): string[] {
  const titles = testTitles(path);
  const source = readFileSync(path, 'utf8');
  const tableDriven = titles.some((t) => /[$%]/.test(t));
  const literals = tableDriven
    ? [...source.matchAll(/(['"`])((?:\\.|(?!\1)[^\\\n])*)\1/g)].map((m) => m[2] as string)
    : [];
  // The matrix runs directly or through matrixAtUse (tokens built at use time).
  const matrix = /\b(tokenMatrix|matrixAtUse)\(/.test(source) ? MATRIX_ROWS : [];
  return [...titles, ...literals, ...matrix];
}

const references = threatModelReferences(readFileSync(DOC, 'utf8'), REPO_ROOT);

describe('docs/threat-model.md', () => {
  it('names at least one test file for every threat', () => {
    const rows = new Set(references.map((r) => r.row));
    expect(rows.size).toBeGreaterThanOrEqual(19);
    for (let n = 1; n <= rows.size; n++) expect(rows.has(String(n)), `row ${n}`).toBe(true);
  });

  it.each(references.map((r) => [`row ${r.row}: ${r.written}`, r] as const))(
    '%s exists and holds every title named after it',
    (_, reference) => {
      expect(reference.path, `${reference.written} is not a file in the repository`).toBeDefined();
      const names = namesIn(reference.path as string);
      for (const title of reference.titles) {
        expect(titleMatches(title, names), `"${title}" in ${reference.written}`).toBe(true);
      }
    },
  );
});

describe('the reference check', () => {
  const table = (cell: string) =>
    `| # | threat | proved by |\n|---|---|---|\n| 1 | x | ${cell} |\n`;

  it('resolves a bare file name to the file named in full earlier', () => {
    const [first, second] = threatModelReferences(
      table('`e2e/test/identity.test.ts` › `identity spoofing`; `identity.test.ts` › `x`'),
      REPO_ROOT,
    );
    expect(first?.path).toBe(join(REPO_ROOT, 'packages/e2e/test/identity.test.ts'));
    expect(second?.path).toBe(first?.path);
    expect(second?.titles).toEqual(['x']);
  });

  it('finds no file for a test file that does not exist', () => {
    const [ref] = threatModelReferences(table('`e2e/test/no-such.test.ts`'), REPO_ROOT);
    expect(ref?.path).toBeUndefined();
  });

  it('refuses a title that is not in the file, and reads … as any text', () => {
    const names = namesIn(join(REPO_ROOT, 'packages/e2e/test/identity.test.ts'));
    expect(titleMatches('identity spoofing', names)).toBe(true);
    expect(titleMatches('identity spoof… of the moon', names)).toBe(false);
    expect(titleMatches('non-ASCII identities … every layer', names)).toBe(true);
    expect(titleMatches('a made-up test that nobody wrote', names)).toBe(false);
  });

  it('counts matrix rows only for files that run the matrix', () => {
    expect(MATRIX_ROWS).toContain('an ES256 header with an embedded jwk');
    const matrixFile = join(REPO_ROOT, 'packages/e2e/test/token-matrix.test.ts');
    expect(titleMatches('an INACTIVE user', namesIn(matrixFile))).toBe(true);
    const other = join(REPO_ROOT, 'packages/e2e/test/load-soak.test.ts');
    expect(titleMatches('an INACTIVE user', namesIn(other))).toBe(false);
  });
});

describe('testTitles', () => {
  it('counts the tests that run, not skipped, todo or conditional ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'test-titles-'));
    const file = join(dir, 'sample.test.ts');
    writeFileSync(
      file,
      [
        "describe('suite', () => {",
        "  it('runs', () => {});",
        "  it.each([1])('row %s', () => {});",
        "  it.skip('skipped', () => {});",
        "  it.todo('later');",
        "  it.skipIf(true)('conditional', () => {});",
        "  describe.skip('skipped suite', () => { it('inside a skipped suite', () => {}); });",
        '});',
      ].join('\n'),
    );
    try {
      expect(testTitles(file)).toEqual(['suite', 'runs', 'row %s']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
