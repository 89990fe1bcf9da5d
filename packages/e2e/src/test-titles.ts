import { readFileSync } from 'node:fs';
import ts from 'typescript';

const SUITE_FUNCTIONS = new Set(['describe', 'it', 'test']);
/** Functions in auth-core's testing helpers whose first argument names a matrix row. */
const ROW_FUNCTIONS = new Set(['ok', 'no', 'admitted', 'refused']);

/** The literal text of a string or a template without substitutions, else undefined. */
function literalText(node: ts.Node | undefined): string | undefined {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)))
    return node.text;
  return undefined;
}

// A test that may not run proves nothing, so its title does not count as a test.
const NOT_RUN = new Set(['skip', 'todo', 'skipIf', 'runIf']);

/** True for `it.skip`, `describe.todo`, `it.skipIf(…)` and the like (also with `.each`). */
function notRun(callee: ts.Expression): boolean {
  if (ts.isPropertyAccessExpression(callee)) {
    return NOT_RUN.has(callee.name.text) || notRun(callee.expression);
  }
  if (ts.isCallExpression(callee)) return notRun(callee.expression);
  return false;
}

/** `describe`, `it.each(rows)`, `describe.concurrent` …: the suite function a callee starts with. */
function suiteFunction(callee: ts.Expression): string | undefined {
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return suiteFunction(callee.expression);
  if (ts.isCallExpression(callee)) return suiteFunction(callee.expression);
  return undefined;
}

function firstArgumentsOf(
  path: string,
  accept: (callee: ts.Expression) => boolean,
  prune: (callee: ts.Expression) => boolean = () => false,
): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      // Nothing inside a suite that does not run runs either.
      if (prune(node.expression)) return;
      if (accept(node.expression)) {
        const text = literalText(node.arguments[0]);
        if (text !== undefined) found.push(text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * The titles of every `describe`/`it`/`test` in a vitest file (including `.each(…)` forms, not
 * skipped or todo ones), read from its syntax tree without running it.
 * @example testTitles('packages/e2e/test/identity.test.ts') // ['identity spoofing', …]
 */
export function testTitles(path: string): string[] {
  return firstArgumentsOf(
    path,
    (callee) => {
      const name = suiteFunction(callee);
      return name !== undefined && SUITE_FUNCTIONS.has(name);
    },
    notRun,
  );
}

/**
 * The row names a table module declares through its row helpers (`ok('…')`, `refused('…')`).
 * @example rowNames('packages/auth-core/src/testing/token-matrix.ts') // ['an INACTIVE user', …]
 */
export function rowNames(path: string): string[] {
  return firstArgumentsOf(
    path,
    (callee) => ts.isIdentifier(callee) && ROW_FUNCTIONS.has(callee.text),
  );
}
