import { describe, expect, it } from 'vitest';
import { isAgentPath } from './agent-paths.js';

describe('isAgentPath', () => {
  it.each(['/api/agents', '/api/agents/', '/api/agents/models', '/api/agents/42/react'])(
    'governs %s',
    (path) => expect(isAgentPath(path)).toBe(true),
  );

  it.each([
    '/',
    '/api',
    '/api/agent',
    '/api/agentsX',
    '/api/agents-admin',
    '/api/agents.json',
    '/api/agents%2F1',
    '/API/agents',
    '/api/Agents',
    '/x/api/agents',
    '/api/auth',
  ])('does not govern %s', (path) => expect(isAgentPath(path)).toBe(false));
});
