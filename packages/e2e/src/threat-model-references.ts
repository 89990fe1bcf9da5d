import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';

/** One checkable reference in a "proved by" cell: a test file and the titles named in it. */
export interface TestReference {
  /** The threat row's number (`#` column). */
  readonly row: string;
  /** The file as written in the doc. */
  readonly written: string;
  /** The file resolved against the repository, or undefined when nothing matches. */
  readonly path: string | undefined;
  /** Backticked titles after the file: test/describe titles or matrix row names; `…` = any text. */
  readonly titles: readonly string[];
}

const FILE = /\.test\.ts$/;

/** Splits a markdown table line into its cells (no escaped pipes inside backticks are used). */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());
}

/**
 * Reads the threat table of docs/threat-model.md: for every row, each backticked `….test.ts` in
 * the "proved by" column starts a reference, and every other backticked span after it names a
 * title in that file. A bare file name (`identity.test.ts`) means the file of that name written
 * in full earlier in the table.
 * @example threatModelReferences(readFileSync('docs/threat-model.md', 'utf8'), repoRoot)
 */
export function threatModelReferences(markdown: string, repoRoot: string): TestReference[] {
  const lines = markdown.split('\n');
  const header = lines.findIndex((l) => /^\|.*\|\s*proved by\s*\|$/.test(l.trim()));
  if (header < 0) throw new Error('No table with a "proved by" column.');
  const column = cells(lines[header] as string).indexOf('proved by');
  const known = new Map<string, string>();
  const references: TestReference[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.trim().startsWith('|')) break;
    const row = cells(line);
    const cell = row[column] ?? '';
    let current:
      | { row: string; written: string; path: string | undefined; titles: string[] }
      | undefined;
    for (const [, span] of cell.matchAll(/`([^`]+)`/g)) {
      const text = span as string;
      if (FILE.test(text)) {
        const path = resolve(text, repoRoot, known);
        if (path) known.set(basename(text), path);
        current = { row: row[0] ?? '?', written: text, path, titles: [] };
        references.push(current);
      } else if (current) {
        current.titles.push(text);
      } else {
        throw new Error(`Row ${row[0]}: \`${text}\` is named before any test file.`);
      }
    }
  }
  return references;
}

function resolve(
  written: string,
  repoRoot: string,
  known: Map<string, string>,
): string | undefined {
  if (!written.includes('/')) return known.get(written);
  for (const candidate of [join(repoRoot, written), join(repoRoot, 'packages', written)]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Whether a title as written in the doc names one of `names`: `…` stands for any text, and the
 * rest must appear in the name as written.
 * @example titleMatches('a duplicated … spelled with a JSON escape', names)
 */
export function titleMatches(written: string, names: readonly string[]): boolean {
  const pattern = new RegExp(
    written
      .split('…')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*'),
    'u',
  );
  return names.some((name) => pattern.test(name));
}
