import { type Tool, ToolInputError } from './tool.js';

const MAX_TEXT = 100_000;

/** Counts the whitespace-separated words of a text. */
export const wordCount: Tool = {
  name: 'word_count',
  description: 'Count the words in a text.',
  parameters: {
    type: 'object',
    properties: { text: { type: 'string' } },
    required: ['text'],
    additionalProperties: false,
  },
  run(args) {
    const text = args.text;
    if (typeof text !== 'string') throw new ToolInputError('text must be a string.');
    if (text.length > MAX_TEXT)
      throw new ToolInputError(`text must be at most ${MAX_TEXT} characters.`);
    const words = text.trim() === '' ? 0 : text.trim().split(/\s+/u).length;
    return String(words);
  },
};
