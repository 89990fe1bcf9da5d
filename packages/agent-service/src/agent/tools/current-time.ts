import { type Tool, ToolInputError } from './tool.js';

/** The current date and time (the service clock), in UTC or a named IANA time zone. */
export const currentTime: Tool = {
  name: 'current_time',
  description:
    'Get the current date and time, in UTC or in an IANA time zone such as Europe/Paris.',
  parameters: {
    type: 'object',
    properties: { timeZone: { type: 'string', description: 'IANA time zone; default UTC' } },
    additionalProperties: false,
  },
  run(args, { clock }) {
    const timeZone = args.timeZone ?? 'UTC';
    if (typeof timeZone !== 'string') throw new ToolInputError('timeZone must be a string.');
    const now = new Date(clock());
    let local: string;
    try {
      local = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        dateStyle: 'full',
        timeStyle: 'long',
      }).format(now);
    } catch {
      throw new ToolInputError(`Unknown time zone "${timeZone.slice(0, 64)}".`);
    }
    return timeZone === 'UTC' ? now.toISOString() : `${local} (${now.toISOString()})`;
  },
};
