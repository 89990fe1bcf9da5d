import { describe, expect, it } from 'vitest';
import { fillTemplate, TemplateError } from './template.js';

const partials: Record<string, string> = {
  pair: 'a {{x}};\nb {{x}};\n',
  nested: 'outer;\n{{> pair}}',
};
const load = (name: string) => {
  const text = partials[name];
  if (text === undefined) throw new Error(`no partial ${name}`);
  return text;
};

describe('fillTemplate', () => {
  it('replaces inline placeholders with strings and numbers', () => {
    expect(fillTemplate('listen {{host}}:{{port}};', { host: '127.0.0.1', port: 8080 }, load)).toBe(
      'listen 127.0.0.1:8080;',
    );
  });

  it('indents a multi-line value like its placeholder', () => {
    expect(fillTemplate('http {\n    {{block}}\n}', { block: 'a;\nb {\n}' }, load)).toBe(
      'http {\n    a;\n    b {\n    }\n}',
    );
  });

  it('inserts partials rendered with the same values, nested and indented', () => {
    expect(fillTemplate('s {\n  {{> nested}}\n}', { x: 1 }, load)).toBe(
      's {\n  outer;\n  a 1;\n  b 1;\n}',
    );
  });

  it('keeps {{#if}} blocks only when the value is truthy, nested', () => {
    const text = '1\n{{#if a}}\n2\n{{#if b}}\n3\n{{/if}}\n{{/if}}\n4';
    expect(fillTemplate(text, { a: true, b: false }, load)).toBe('1\n2\n4');
    expect(fillTemplate(text, { a: false, b: true }, load)).toBe('1\n4');
    expect(fillTemplate(text, { a: 'yes', b: 1 }, load)).toBe('1\n2\n3\n4');
  });

  it('drops ## template comments but keeps # config comments', () => {
    expect(fillTemplate('## for authors\n# for operators\nx;', {}, load)).toBe(
      '# for operators\nx;',
    );
  });

  it('leaves nginx ${variables} alone', () => {
    expect(fillTemplate('"${a}?b"', {}, load)).toBe('"${a}?b"');
  });

  it.each([
    ['an unknown value', 'listen {{nope}};', {}],
    ['an unknown {{#if}} value', '{{#if nope}}\n{{/if}}', {}],
    ['an unclosed {{#if}}', '{{#if a}}\nx', { a: true }],
    ['a stray {{/if}}', '{{/if}}', {}],
    ['a multi-line value inline', 'x {{v}};', { v: 'a\nb' }],
    ['a boolean as text', 'x {{v}};', { v: true }],
    ['an undefined value as text', 'x {{v}};', { v: undefined }],
    ['malformed syntax', 'x {{ v }};', { v: 'a' }],
  ])('refuses %s', (_, text, values) => {
    expect(() => fillTemplate(text, values, load)).toThrow(TemplateError);
  });
});
