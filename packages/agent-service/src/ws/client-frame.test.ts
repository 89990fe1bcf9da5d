import { describe, expect, it } from 'vitest';
import { parseClientFrame } from './client-frame.js';

describe('parseClientFrame', () => {
  it('accepts prompt and stop frames', () => {
    expect(parseClientFrame('{"v":1,"type":"prompt","text":"hi"}')).toEqual({
      ok: true,
      frame: { v: 1, type: 'prompt', text: 'hi' },
    });
    expect(parseClientFrame('{"v":1,"type":"stop"}')).toEqual({
      ok: true,
      frame: { v: 1, type: 'stop' },
    });
  });

  it.each([
    ['{', 'ERR_BAD_FRAME', 'Frames must be JSON objects.'],
    ['null', 'ERR_BAD_FRAME', 'Frames must be JSON objects.'],
    [
      '{"v":"1","type":"stop"}',
      'ERR_UNSUPPORTED_VERSION',
      'This service speaks protocol version 1; send "v": 1.',
    ],
    [
      '{"v":1,"type":"Prompt"}',
      'ERR_BAD_FRAME',
      'Unknown frame type; expected one of: prompt, stop.',
    ],
    ['{"v":1,"type":"prompt","text":5}', 'ERR_BAD_FRAME', 'text must be a string.'],
    [
      '{"v":1,"type":"prompt","text":"x","model":"gpt-4"}',
      'ERR_BAD_FRAME',
      'Unknown field: model.',
    ],
  ])('refuses %s', (text, code, message) => {
    expect(parseClientFrame(text)).toEqual({ ok: false, code, message });
  });
});
