import { z } from 'zod';

const ToolCall = z.object({
  id: z.string(),
  type: z.literal('function').optional(),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

const Content = z.union([
  z.string(),
  z.null(),
  z.array(z.object({ type: z.string(), text: z.string().optional() }).loose()),
]);

export const ChatMessage = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
    content: Content.optional(),
    tool_calls: z.array(ToolCall).optional(),
    tool_call_id: z.string().optional(),
    name: z.string().optional(),
  })
  .loose();
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ToolSpec = z
  .object({
    type: z.literal('function'),
    function: z.object({ name: z.string().min(1) }).loose(),
  })
  .loose();

/** The subset of an OpenAI chat-completions request this server understands; extra keys pass. */
export const ChatRequest = z
  .object({
    model: z.string().min(1),
    messages: z.array(ChatMessage).min(1),
    stream: z.boolean().optional(),
    tools: z.array(ToolSpec).optional(),
    temperature: z.number().optional(),
    max_tokens: z.number().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).loose().optional(),
    user: z.string().optional(),
  })
  .loose();
export type ChatRequest = z.infer<typeof ChatRequest>;

/**
 * The plain text of a message's content (string, or the text parts of a parts array).
 * @example textOf({ role: 'user', content: [{ type: 'text', text: 'hi' }] }) // 'hi'
 */
export function textOf(message: ChatMessage | undefined): string {
  const content = message?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => part.text ?? '').join('');
  return '';
}
