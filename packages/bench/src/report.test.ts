import { describe, expect, it } from 'vitest';
import { markdownTable } from './report.js';

describe('markdownTable', () => {
  it('pads every column to its widest cell', () => {
    expect(
      markdownTable(
        ['target', 'req/s'],
        [
          ['a', 1],
          ['longer', '12,345'],
        ],
      ),
    ).toBe(
      [
        '| target | req/s  |',
        '|--------|--------|',
        '| a      | 1      |',
        '| longer | 12,345 |',
      ].join('\n'),
    );
  });
});
