/**
 * Reads the small HOCON subset the platform's `auth.conf` uses: nested `{}` objects, dotted
 * keys, `=` or `:` separators, quoted or unquoted values, `#` and `//` comments, and
 * environment substitutions `${VAR}` / `${?VAR}`. Later assignments win, as in HOCON.
 * Arrays are skipped; `include` lines are ignored. Returns every scalar by its full dotted path.
 * @example readAuthConf('auth { jwt { 256-bit-secret = "abc" } }', {}).get('auth.jwt.256-bit-secret')
 */
export function readAuthConf(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): Map<string, string> {
  const values = new Map<string, string>();
  const scanner = new Scanner(text);
  parseFields(scanner, [], values, env, false);
  return values;
}

export class AuthConfSyntaxError extends Error {
  override readonly name = 'AuthConfSyntaxError';
}

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  peek(): string | undefined {
    return this.text[this.pos];
  }

  /** Skips spaces, newlines, commas and comments. */
  skipBlank(includeNewlines = true): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) return;
      if (c === ' ' || c === '\t' || c === '\r' || (includeNewlines && (c === '\n' || c === ','))) {
        this.pos++;
      } else if (c === '#' || (c === '/' && this.text[this.pos + 1] === '/')) {
        while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos++;
      } else {
        return;
      }
    }
  }

  line(): number {
    return this.text.slice(0, this.pos).split('\n').length;
  }

  fail(what: string): never {
    throw new AuthConfSyntaxError(`auth.conf line ${this.line()}: ${what}`);
  }

  quoted(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') {
      if (this.text[this.pos] === '\n') this.fail('unterminated string');
      this.pos += this.text[this.pos] === '\\' ? 2 : 1;
    }
    if (this.pos >= this.text.length) this.fail('unterminated string');
    this.pos++;
    try {
      return JSON.parse(this.text.slice(start, this.pos)) as string;
    } catch {
      return this.fail('invalid escape in string');
    }
  }
}

const KEY_END = /[\s=:{}[\],#"]/;

function parseKey(s: Scanner): string[] {
  const parts: string[] = [];
  let current = '';
  for (;;) {
    const c = s.peek();
    if (c === '"') {
      current += s.quoted();
    } else if (c === '.') {
      parts.push(current);
      current = '';
      s.pos++;
    } else if (c === undefined || KEY_END.test(c) || (c === '/' && s.text[s.pos + 1] === '/')) {
      break;
    } else {
      current += c;
      s.pos++;
    }
  }
  parts.push(current);
  if (parts.some((p) => p.length === 0)) s.fail('empty key');
  return parts;
}

function parseFields(
  s: Scanner,
  path: string[],
  out: Map<string, string>,
  env: Readonly<Record<string, string | undefined>>,
  nested: boolean,
): void {
  for (;;) {
    s.skipBlank();
    const c = s.peek();
    if (c === undefined) {
      if (nested) s.fail('missing "}"');
      return;
    }
    if (c === '}') {
      if (!nested) s.fail('unexpected "}"');
      s.pos++;
      return;
    }
    if (s.text.startsWith('include ', s.pos)) {
      while (s.pos < s.text.length && s.text[s.pos] !== '\n') s.pos++;
      continue;
    }
    const key = [...path, ...parseKey(s)];
    s.skipBlank(false);
    const sep = s.peek();
    if (sep === '=' || sep === ':') {
      s.pos++;
      s.skipBlank(false);
    } else if (sep !== '{') {
      s.fail(`expected "=" after "${key.join('.')}"`);
    }
    parseValue(s, key, out, env);
  }
}

function parseValue(
  s: Scanner,
  key: string[],
  out: Map<string, string>,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const c = s.peek();
  const name = key.join('.');
  if (c === '{') {
    s.pos++;
    parseFields(s, key, out, env, true);
    return;
  }
  if (c === '[') {
    skipArray(s);
    return;
  }
  if (c === '"') {
    out.set(name, s.quoted());
    return;
  }
  if (c === '$' && s.text[s.pos + 1] === '{') {
    const end = s.text.indexOf('}', s.pos);
    if (end < 0) s.fail('unterminated substitution');
    const inner = s.text.slice(s.pos + 2, end).trim();
    s.pos = end + 1;
    const optional = inner.startsWith('?');
    const variable = optional ? inner.slice(1).trim() : inner;
    const value = env[variable];
    if (value !== undefined) out.set(name, value);
    else if (!optional) s.fail(`substitution \${${variable}} has no value`);
    return;
  }
  // Unquoted value: up to the end of the line, a comma, a closing brace or a comment.
  let value = '';
  while (s.pos < s.text.length) {
    const ch = s.text[s.pos] as string;
    if (
      ch === '\n' ||
      ch === ',' ||
      ch === '}' ||
      ch === '#' ||
      (ch === '/' && s.text[s.pos + 1] === '/')
    )
      break;
    value += ch;
    s.pos++;
  }
  out.set(name, value.trim());
}

function skipArray(s: Scanner): void {
  let depth = 0;
  while (s.pos < s.text.length) {
    const c = s.peek();
    if (c === '"') {
      s.quoted();
      continue;
    }
    if (c === '[') depth++;
    if (c === ']') depth--;
    s.pos++;
    if (depth === 0) return;
  }
  s.fail('unterminated array');
}
