import { describe, expect, it } from 'vitest';
import { createSseParser } from './sse-parser.js';

describe('createSseParser', () => {
  it('yields complete events only, across chunk boundaries', () => {
    const p = createSseParser();
    expect(p.push('data: {"a"')).toEqual([]);
    expect(p.push(':1}\n')).toEqual([]);
    expect(p.push('\ndata: [DONE]\n\n')).toEqual(['{"a":1}', '[DONE]']);
  });

  it('handles CRLF and CR line endings, even split between chunks', () => {
    const p = createSseParser();
    expect(p.push('data: one\r')).toEqual([]);
    expect(p.push('\n\r\ndata: two\r\r')).toEqual(['one']);
    // The last '\r' may be half of '\r\n': the event completes once the next byte shows it is not.
    expect(p.push('\n')).toEqual(['two']);
  });

  it('joins multi-line data and ignores comments and other fields', () => {
    const p = createSseParser();
    expect(p.push(': keep-alive\nevent: message\nid: 1\ndata: a\ndata:b\nretry: 10\n\n')).toEqual([
      'a\nb',
    ]);
  });

  it('flushes a last event without a blank line at the end', () => {
    const p = createSseParser();
    expect(p.push('data: tail')).toEqual([]);
    expect(p.end()).toEqual(['tail']);
  });
});
