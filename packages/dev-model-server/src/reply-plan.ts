import { type ChatMessage, textOf } from './chat-request.js';
import { findExpression } from './expression.js';
import { toTokens } from './tokens.js';

/** One tool call the model decides to make. */
export interface PlannedCall {
  readonly name: string;
  readonly arguments: Record<string, unknown>;
}

/** What the model answers to one request. */
export type Reply =
  | {
      readonly kind: 'text';
      readonly text: string;
      /** Streamed only: drop the connection after this many tokens (the `#cut` trigger). */
      readonly cutAfterTokens?: number;
    }
  | { readonly kind: 'tool_call'; readonly text: string; readonly call: PlannedCall }
  | { readonly kind: 'fail' };

const MAX_COUNT = 10_000;

/**
 * Decides, deterministically, the model's next turn. From the last user message it plans the tool
 * calls the prompt asks for (in a fixed order: calculator, current_time, word_count), emits them
 * one per turn while tool results come back, then answers with their results. Triggers:
 * `count to N` streams "1 2 … N"; `#loop` calls current_time forever (to exhaust max steps);
 * `#fail` makes the request fail with a 500; `#cut` streams half of the text answer, then drops the
 * connection (a provider failing mid-stream); `#markdown` answers with a fixed markdown sample.
 * @example planReply([{ role: 'user', content: 'calculate 6*7' }], ['calculator'])
 * // { kind: 'tool_call', text: 'Let me use the calculator.', call: { name: 'calculator', arguments: { expression: '6*7' } } }
 */
export function planReply(messages: readonly ChatMessage[], tools: readonly string[]): Reply {
  const lastUser = findLastIndex(messages, (m) => m.role === 'user');
  const prompt = textOf(messages[lastUser]);
  const reply = plan(messages, tools, lastUser, prompt);
  if (reply.kind !== 'text' || !prompt.toLowerCase().includes('#cut')) return reply;
  return { ...reply, cutAfterTokens: Math.floor(toTokens(reply.text).length / 2) };
}

/** Markdown a chat UI should render: emphasis, inline code, a fenced block, a list and a link. */
export const MARKDOWN_SAMPLE = [
  'Here is **bold** text and `inline code`.',
  '',
  '```js',
  'const answer = 6 * 7;',
  'console.log(answer);',
  '```',
  '',
  '- first item',
  '- second item',
  '',
  'Read more at https://example.org/docs.',
].join('\n');

function plan(
  messages: readonly ChatMessage[],
  tools: readonly string[],
  lastUser: number,
  prompt: string,
): Reply {
  const lower = prompt.toLowerCase();
  if (lower.includes('#fail')) return { kind: 'fail' };

  const since = lastUser < 0 ? [] : messages.slice(lastUser + 1);
  const results = since.filter((m) => m.role === 'tool');
  const wanted = plannedCalls(prompt, tools);
  const next = wanted[results.length];
  if (next) return { kind: 'tool_call', text: `Let me use the ${next.name} tool.`, call: next };
  if (lower.includes('#loop') && tools.includes('current_time')) {
    return {
      kind: 'tool_call',
      text: 'Let me check the time again.',
      call: { name: 'current_time', arguments: {} },
    };
  }
  if (results.length > 0) {
    const parts = results.map((m) => textOf(m));
    return {
      kind: 'text',
      text:
        parts.length === 1
          ? `The answer is ${parts[0]}.`
          : `Here is what I found: ${parts.join('; ')}.`,
    };
  }
  if (lower.includes('#markdown')) return { kind: 'text', text: MARKDOWN_SAMPLE };
  const count = /count to (\d+)/.exec(lower);
  if (count) {
    const n = Math.min(Number(count[1]), MAX_COUNT);
    return { kind: 'text', text: Array.from({ length: n }, (_, i) => String(i + 1)).join(' ') };
  }
  if (prompt.trim() === '') return { kind: 'text', text: 'Hello! Ask me anything.' };
  return {
    kind: 'text',
    text: `You said: "${prompt.trim()}". I am the deterministic development model.`,
  };
}

function plannedCalls(prompt: string, tools: readonly string[]): PlannedCall[] {
  const lower = prompt.toLowerCase();
  const calls: PlannedCall[] = [];
  const expression = findExpression(prompt);
  if (
    tools.includes('calculator') &&
    expression &&
    /calculat|comput|what is|evaluate|how much|\bsum\b/.test(lower)
  ) {
    calls.push({ name: 'calculator', arguments: { expression } });
  }
  if (tools.includes('current_time') && /\btime\b|\bdate\b|what day/.test(lower)) {
    calls.push({ name: 'current_time', arguments: {} });
  }
  if (tools.includes('word_count') && /count (the )?words|word count|how many words/.test(lower)) {
    const quoted = /"([^"]*)"/.exec(prompt)?.[1];
    const afterColon = prompt.includes(':') ? prompt.slice(prompt.indexOf(':') + 1) : prompt;
    calls.push({ name: 'word_count', arguments: { text: (quoted ?? afterColon).trim() } });
  }
  return calls;
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as T)) return i;
  return -1;
}
