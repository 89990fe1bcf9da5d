import type { z } from 'zod';

/**
 * One readable sentence for a failed parse: the first issue's message, prefixed by its path when
 * the message does not already name the field. Used by the service for 400 bodies and by the UI.
 * @example formatZodError(UpdateSettingsRequest.safeParse({ maxSteps: 0 }).error!)
 * // 'maxSteps must be at least 1.'
 */
export function formatZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The input is invalid.';
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = path ? ` in ${path}` : '';
    return `Unknown field${issue.keys.length > 1 ? 's' : ''}${where}: ${issue.keys.join(', ')}.`;
  }
  const field = path.split('.').pop() ?? '';
  if (!path || (field && issue.message.startsWith(field))) return ensureStop(issue.message);
  return `${path}: ${ensureStop(issue.message)}`;
}

const ensureStop = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
