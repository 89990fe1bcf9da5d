/** Why an expression was refused; the message is safe to show the model and the user. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
}

const MAX_LENGTH = 500;
const MAX_DEPTH = 64;

// Maps, not object literals: a name like `constructor` or `__proto__` must not find a prototype member.
const FUNCTIONS = new Map<string, { arity: [number, number]; fn: (...x: number[]) => number }>(
  Object.entries({
    sqrt: { arity: [1, 1], fn: Math.sqrt },
    abs: { arity: [1, 1], fn: Math.abs },
    round: { arity: [1, 1], fn: Math.round },
    floor: { arity: [1, 1], fn: Math.floor },
    ceil: { arity: [1, 1], fn: Math.ceil },
    ln: { arity: [1, 1], fn: Math.log },
    log10: { arity: [1, 1], fn: Math.log10 },
    sin: { arity: [1, 1], fn: Math.sin },
    cos: { arity: [1, 1], fn: Math.cos },
    tan: { arity: [1, 1], fn: Math.tan },
    min: { arity: [1, 16], fn: Math.min },
    max: { arity: [1, 16], fn: Math.max },
  }),
);
const CONSTANTS = new Map<string, number>([
  ['pi', Math.PI],
  ['e', Math.E],
]);

type Token =
  | { kind: 'num'; value: number; at: number }
  | { kind: 'id'; value: string; at: number }
  | { kind: 'op'; value: string; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re =
    /\s*(?:(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z_0-9]*)|(\*\*|[-+*/%^(),]))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m)
      throw new ExpressionError(
        `Unexpected character "${text.slice(at).trim()[0]}" at position ${at + 1}.`,
      );
    const start = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? '').length;
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: Number(m[1]), at: start });
    else if (m[2] !== undefined) tokens.push({ kind: 'id', value: m[2].toLowerCase(), at: start });
    else tokens.push({ kind: 'op', value: m[3] === '**' ? '^' : (m[3] as string), at: start });
    at = re.lastIndex;
  }
  return tokens;
}

/**
 * Evaluates an arithmetic expression with a recursive-descent parser — never `eval`.
 * Supports numbers, `+ - * / %`, `^` or `**` (right-associative), parentheses, unary minus,
 * `pi`, `e`, and sqrt, abs, round, floor, ceil, ln, log10, sin, cos, tan, min, max.
 * @example evaluateExpression('(2+3)*4^2') // 80
 */
export function evaluateExpression(text: string): number {
  if (text.length > MAX_LENGTH)
    throw new ExpressionError(`The expression is longer than ${MAX_LENGTH} characters.`);
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new ExpressionError('The expression is empty.');
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos];
  const isOp = (value: string) => {
    const t = peek();
    return t?.kind === 'op' && t.value === value;
  };
  const expect = (value: string) => {
    if (!isOp(value)) {
      const t = peek();
      throw new ExpressionError(
        t ? `Expected "${value}" at position ${t.at + 1}.` : `Expected "${value}" at the end.`,
      );
    }
    pos++;
  };
  const nest = <T>(f: () => T): T => {
    if (++depth > MAX_DEPTH) throw new ExpressionError('The expression is nested too deeply.');
    try {
      return f();
    } finally {
      depth--;
    }
  };

  const expression = (): number =>
    nest(() => {
      let value = term();
      while (isOp('+') || isOp('-')) {
        const op = tokens[pos++]?.value;
        const right = term();
        value = op === '+' ? value + right : value - right;
      }
      return value;
    });

  const term = (): number => {
    let value = unary();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const op = tokens[pos++]?.value;
      const right = unary();
      if ((op === '/' || op === '%') && right === 0) throw new ExpressionError('Division by zero.');
      value = op === '*' ? value * right : op === '/' ? value / right : value % right;
    }
    return value;
  };

  const unary = (): number =>
    nest(() => {
      if (isOp('-')) {
        pos++;
        return -unary();
      }
      if (isOp('+')) {
        pos++;
        return unary();
      }
      return power();
    });

  const power = (): number => {
    const base = primary();
    if (isOp('^')) {
      pos++;
      return base ** unary();
    }
    return base;
  };

  const primary = (): number => {
    const t = peek();
    if (!t) throw new ExpressionError('The expression ends too early.');
    if (t.kind === 'num') {
      pos++;
      return t.value;
    }
    if (t.kind === 'op' && t.value === '(') {
      pos++;
      const value = expression();
      expect(')');
      return value;
    }
    if (t.kind === 'id') {
      pos++;
      const fn = FUNCTIONS.get(t.value);
      if (fn) {
        expect('(');
        const args = [expression()];
        while (isOp(',')) {
          pos++;
          args.push(expression());
        }
        expect(')');
        if (args.length < fn.arity[0] || args.length > fn.arity[1]) {
          throw new ExpressionError(
            `${t.value}() takes ${fn.arity[0] === fn.arity[1] ? fn.arity[0] : `${fn.arity[0]} to ${fn.arity[1]}`} argument(s).`,
          );
        }
        return fn.fn(...args);
      }
      const constant = CONSTANTS.get(t.value);
      if (constant !== undefined) return constant;
      throw new ExpressionError(`Unknown name "${t.value}".`);
    }
    throw new ExpressionError(`Unexpected "${t.value}" at position ${t.at + 1}.`);
  };

  const value = expression();
  const rest = peek();
  if (rest) throw new ExpressionError(`Unexpected "${rest.value}" at position ${rest.at + 1}.`);
  if (!Number.isFinite(value)) throw new ExpressionError('The result is not a finite number.');
  return value;
}

/**
 * A number as the calculator prints it: at most 12 significant digits, no `-0`.
 * @example formatNumber(0.1 + 0.2) // '0.3'
 */
export function formatNumber(value: number): string {
  const rounded = Number(value.toPrecision(12));
  return String(Object.is(rounded, -0) ? 0 : rounded);
}
