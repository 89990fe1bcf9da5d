/**
 * Incremental parser of a `text/event-stream` body: feed it decoded text as it arrives, get back
 * the `data` payload of every complete event (multi-line `data:` fields joined with `\n`;
 * comments, `event:`, `id:` and `retry:` fields ignored). Handles `\n`, `\r\n` and `\r` endings.
 * @example
 * const parser = createSseParser();
 * parser.push('data: {"a":1}\n\nda'); // ['{"a":1}']
 * parser.push('ta: [DONE]\n\n');      // ['[DONE]']
 */
export function createSseParser(): { push(text: string): string[]; end(): string[] } {
  let buffer = '';
  let data: string[] = [];

  const line = (raw: string, out: string[]) => {
    if (raw === '') {
      if (data.length > 0) out.push(data.join('\n'));
      data = [];
      return;
    }
    if (raw.startsWith(':')) return;
    const colon = raw.indexOf(':');
    const field = colon < 0 ? raw : raw.slice(0, colon);
    let value = colon < 0 ? '' : raw.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
  };

  return {
    push(text) {
      buffer += text;
      const out: string[] = [];
      let start = 0;
      // A trailing lone '\r' may be the first half of '\r\n': wait for more input.
      const usable = buffer.endsWith('\r') ? buffer.length - 1 : buffer.length;
      for (const match of buffer.matchAll(/\r\n|\n|\r/g)) {
        if (match.index >= usable) break;
        line(buffer.slice(start, match.index), out);
        start = match.index + match[0].length;
      }
      buffer = buffer.slice(start);
      return out;
    },
    end() {
      const out: string[] = [];
      if (buffer !== '') line(buffer.replace(/\r$/, ''), out);
      buffer = '';
      line('', out);
      return out;
    },
  };
}
