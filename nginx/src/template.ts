/** Values a template can refer to. `undefined` and `false` only make sense for `{{#if}}`. */
export type TemplateValues = Readonly<Record<string, string | number | boolean | undefined>>;

/** Loads a partial template by name (`{{> agent-proxy}}`). */
export type PartialLoader = (name: string) => string;

/** A template refers to something that does not exist or is malformed; names the line. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

const IF_OPEN = /^\{\{#if ([A-Za-z]\w*)\}\}$/;
const IF_CLOSE = /^\{\{\/if\}\}$/;
const PARTIAL = /^(\s*)\{\{> ?([\w-]+)\}\}$/;
const BLOCK = /^(\s*)\{\{([A-Za-z]\w*)\}\}$/;
const INLINE = /\{\{([A-Za-z]\w*)\}\}/g;

/**
 * Fills a config template, line by line. `{{name}}` inserts a value; a multi-line value must sit on
 * a line of its own and is indented like the placeholder. `{{> name}}` inserts a partial rendered
 * with the same values, indented the same way. `{{#if name}}` … `{{/if}}` (each on its own line)
 * keeps the lines between only when the value is truthy. Lines starting with `##` are template
 * comments. Any unknown name is an error, so a typo never renders an empty directive.
 * @example fillTemplate('listen {{port}};', { port: 8080 }, noPartials) // 'listen 8080;'
 */
export function fillTemplate(
  text: string,
  values: TemplateValues,
  loadPartial: PartialLoader,
  depth = 0,
): string {
  if (depth > 8) throw new TemplateError('Partials are nested too deeply.');
  const out: string[] = [];
  const conditions: boolean[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const where = `line ${index + 1}`;
    const trimmed = line.trim();
    const open = IF_OPEN.exec(trimmed);
    if (open) {
      conditions.push(Boolean(lookup(values, open[1] as string, where)));
      return;
    }
    if (IF_CLOSE.test(trimmed)) {
      if (conditions.pop() === undefined) throw new TemplateError(`Unmatched {{/if}} at ${where}.`);
      return;
    }
    if (!conditions.every(Boolean) || trimmed.startsWith('##')) return;

    const partial = PARTIAL.exec(line);
    if (partial) {
      const body = fillTemplate(loadPartial(partial[2] as string), values, loadPartial, depth + 1);
      out.push(indent(body.replace(/\n+$/, ''), partial[1] as string));
      return;
    }
    const block = BLOCK.exec(line);
    if (block) {
      out.push(indent(text_(lookup(values, block[2] as string, where), where), block[1] as string));
      return;
    }
    out.push(
      line.replace(INLINE, (_, name: string) => {
        const value = text_(lookup(values, name, where), where);
        if (value.includes('\n')) {
          throw new TemplateError(`{{${name}}} is multi-line and must stand alone on ${where}.`);
        }
        return value;
      }),
    );
  });
  if (conditions.length > 0) throw new TemplateError('A {{#if}} is never closed.');
  const result = out.join('\n');
  if (result.includes('{{')) {
    throw new TemplateError(`Unrecognised template syntax near "${leftover(result)}".`);
  }
  return result;
}

function lookup(values: TemplateValues, name: string, where: string) {
  if (!Object.hasOwn(values, name))
    throw new TemplateError(`Unknown value {{${name}}} at ${where}.`);
  return values[name];
}

function text_(value: TemplateValues[string], where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new TemplateError(`A placeholder at ${where} has no text value.`);
}

function indent(body: string, prefix: string): string {
  return body
    .split('\n')
    .map((l) => (l.length > 0 ? prefix + l : l))
    .join('\n');
}

function leftover(text: string): string {
  const at = text.indexOf('{{');
  return text.slice(at, at + 40);
}
