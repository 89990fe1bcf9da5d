import { describe, expect, it } from 'vitest';
import { runTool, toolDefinitions } from './registry.js';

const all = ['calculator', 'current_time', 'word_count'] as const;
const clock = () => Date.UTC(2026, 0, 2, 3, 4, 5);

describe('runTool', () => {
  it('runs each built-in tool', () => {
    expect(runTool(all, 'calculator', '{"expression":"6*7"}', { clock })).toEqual({
      ok: true,
      output: '42',
    });
    expect(runTool(all, 'current_time', '{}', { clock })).toEqual({
      ok: true,
      output: '2026-01-02T03:04:05.000Z',
    });
    expect(runTool(all, 'current_time', '{"timeZone":"Asia/Tokyo"}', { clock }).output).toContain(
      '12:04:05',
    );
    expect(runTool(all, 'word_count', '{"text":"  one two\\nthree "}', { clock })).toEqual({
      ok: true,
      output: '3',
    });
    expect(runTool(all, 'word_count', '{"text":""}', { clock })).toEqual({ ok: true, output: '0' });
  });

  it.each([
    [all, 'shell', '{}', 'Unknown tool "shell".'],
    [['word_count'] as const, 'calculator', '{"expression":"1"}', 'Unknown tool "calculator".'],
    [all, 'calculator', '{not json', 'The tool arguments are not valid JSON.'],
    [all, 'calculator', '[1]', 'The tool arguments must be a JSON object.'],
    [all, 'calculator', '{"expression":7}', 'expression must be a string.'],
    [all, 'calculator', '{"expression":"1/0"}', 'Division by zero.'],
    [all, 'current_time', '{"timeZone":"Mars/Olympus"}', 'Unknown time zone "Mars/Olympus".'],
    [all, 'toString', '{}', 'Unknown tool "toString".'],
  ])('refuses without throwing: %j %s %s', (enabled, name, args, output) => {
    expect(runTool(enabled, name, args, { clock })).toEqual({ ok: false, output });
  });
});

describe('toolDefinitions', () => {
  it('offers exactly the enabled tools as OpenAI function tools', () => {
    const defs = toolDefinitions(['calculator', 'word_count']);
    expect(defs.map((d) => [d.type, d.function.name])).toEqual([
      ['function', 'calculator'],
      ['function', 'word_count'],
    ]);
    expect(defs[0]?.function.parameters).toMatchObject({
      type: 'object',
      required: ['expression'],
    });
  });
});
