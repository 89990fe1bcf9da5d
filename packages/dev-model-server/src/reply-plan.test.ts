import { describe, expect, it } from 'vitest';
import { findExpression } from './expression.js';
import { MARKDOWN_SAMPLE, planReply } from './reply-plan.js';

const all = ['calculator', 'current_time', 'word_count'];

describe('findExpression', () => {
  it.each([
    ['What is 6*7?', '6*7'],
    ['calculate (2+3)*4 please', '(2+3)*4'],
    ['compute 2 ^ 10.', '2 ^ 10'],
    ['count to 10', undefined],
    ['no numbers', undefined],
  ])('finds the expression in %j', (text, expected) => {
    expect(findExpression(text)).toBe(expected);
  });
});

describe('planReply', () => {
  it('asks for the time, then answers with the tool result', () => {
    const first = planReply([{ role: 'user', content: 'what time is it?' }], all);
    expect(first).toMatchObject({ kind: 'tool_call', call: { name: 'current_time' } });
    const second = planReply(
      [
        { role: 'user', content: 'what time is it?' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 'c', function: { name: 'current_time', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'c', content: '12:00' },
      ],
      all,
    );
    expect(second).toEqual({ kind: 'text', text: 'The answer is 12:00.' });
  });

  it('counts words of the quoted text', () => {
    expect(planReply([{ role: 'user', content: 'count words in "a b c"' }], all)).toMatchObject({
      call: { name: 'word_count', arguments: { text: 'a b c' } },
    });
  });

  it('marks a #cut answer to be dropped after half of its tokens', () => {
    expect(planReply([{ role: 'user', content: 'count to 10 #cut' }], [])).toEqual({
      kind: 'text',
      text: '1 2 3 4 5 6 7 8 9 10',
      cutAfterTokens: 5,
    });
  });

  it('answers #markdown with the markdown sample', () => {
    expect(planReply([{ role: 'user', content: 'show #markdown' }], all)).toEqual({
      kind: 'text',
      text: MARKDOWN_SAMPLE,
    });
  });

  it('keeps calling a tool under #loop so max steps can be exhausted', () => {
    const messages = [
      { role: 'user' as const, content: '#loop' },
      { role: 'tool' as const, tool_call_id: 'x', content: 'now' },
    ];
    expect(planReply(messages, all)).toMatchObject({ kind: 'tool_call' });
  });
});
