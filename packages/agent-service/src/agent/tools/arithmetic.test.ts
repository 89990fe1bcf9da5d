import { describe, expect, it } from 'vitest';
import { ExpressionError, evaluateExpression, formatNumber } from './arithmetic.js';

describe('evaluateExpression', () => {
  it.each([
    ['1+2*3', 7],
    ['(1+2)*3', 9],
    ['2^3^2', 512],
    ['2**10', 1024],
    ['-2^2', -4],
    ['(-2)^2', 4],
    ['--3', 3],
    ['7 % 4', 3],
    ['10/4', 2.5],
    ['1e3 + .5', 1000.5],
    ['sqrt(16) + abs(-2)', 6],
    ['max(1, 5, 3) - min(4, 2)', 3],
    ['round(pi * 100)', 314],
    ['floor(2.7) + ceil(2.1)', 5],
    ['ln(e)', 1],
    ['log10(1000)', 3],
    ['  ( ( 1 ) )  ', 1],
  ])('evaluates %s to %d', (text, value) => {
    expect(evaluateExpression(text)).toBeCloseTo(value, 10);
  });

  it.each([
    ['', 'The expression is empty.'],
    ['1 +', 'The expression ends too early.'],
    ['(1+2', 'Expected ")" at the end.'],
    ['1 2', 'Unexpected "2" at position 3.'],
    ['1/0', 'Division by zero.'],
    ['5 % 0', 'Division by zero.'],
    ['process', 'Unknown name "process".'],
    ['process.exit(1)', 'Unexpected character "." at position 8.'],
    ['constructor', 'Unknown name "constructor".'],
    ['__proto__', 'Unknown name "__proto__".'],
    ['sqrt(1, 2)', 'sqrt() takes 1 argument(s).'],
    ['alert`1`', 'Unexpected character "`" at position 6.'],
    ['10^400', 'The result is not a finite number.'],
    ['1;2', 'Unexpected character ";" at position 2.'],
  ])('refuses %j: %s', (text, message) => {
    expect(() => evaluateExpression(text)).toThrow(ExpressionError);
    expect(() => evaluateExpression(text)).toThrow(message);
  });

  it('bounds length and nesting', () => {
    expect(() => evaluateExpression(`${'1+'.repeat(300)}1`)).toThrow(/longer than 500/);
    expect(() => evaluateExpression(`${'('.repeat(100)}1${')'.repeat(100)}`)).toThrow(
      /nested too deeply/,
    );
  });
});

describe('formatNumber', () => {
  it('prints at most 12 significant digits and no negative zero', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(1 / 3)).toBe('0.333333333333');
  });
});
