import { z } from 'zod';

/**
 * The markdown table of an env schema built with `envVar`: one row per variable, its default and
 * what it sets. The docs carry it once, and a test compares it with this rendering.
 * @example envTable(EnvSchema) // '| variable | default | meaning |\n|---|---|---|\n| `PORT` | `9096` | … |'
 */
export function envTable(schema: z.ZodObject): string {
  const rows = Object.entries(schema.shape).map(([name, field]) => {
    const meta = z.globalRegistry.get(field as z.ZodType) ?? {};
    const fallback =
      meta.default === undefined
        ? 'unset'
        : meta.default === 'required'
          ? '**required**'
          : `\`${String(meta.default)}\``;
    return `| \`${name}\` | ${fallback} | ${meta.description ?? ''} |`;
  });
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

/**
 * The table between `<!-- env:<id> -->` and `<!-- /env:<id> -->` in a markdown text, or
 * undefined when the markers are missing.
 * @example envTableIn(readFileSync('README.md', 'utf8'), 'access-control-service')
 */
export function envTableIn(markdown: string, id: string): string | undefined {
  const start = `<!-- env:${id} -->`;
  const end = `<!-- /env:${id} -->`;
  const from = markdown.indexOf(start);
  const to = markdown.indexOf(end);
  if (from < 0 || to < from) return undefined;
  return markdown.slice(from + start.length, to).trim();
}
