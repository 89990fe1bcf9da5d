import { ExpressionError, evaluateExpression, formatNumber } from './arithmetic.js';
import { type Tool, ToolInputError } from './tool.js';

/** Evaluates arithmetic with a real parser (see `evaluateExpression`), never `eval`. */
export const calculator: Tool = {
  name: 'calculator',
  description:
    'Evaluate an arithmetic expression. Supports + - * / % ^, parentheses, pi, e, sqrt, abs, round, floor, ceil, ln, log10, sin, cos, tan, min, max.',
  parameters: {
    type: 'object',
    properties: { expression: { type: 'string', description: 'e.g. (2+3)*4' } },
    required: ['expression'],
    additionalProperties: false,
  },
  run(args) {
    const expression = args.expression;
    if (typeof expression !== 'string') throw new ToolInputError('expression must be a string.');
    try {
      return formatNumber(evaluateExpression(expression));
    } catch (error) {
      if (error instanceof ExpressionError) throw new ToolInputError(error.message);
      throw error;
    }
  },
};
