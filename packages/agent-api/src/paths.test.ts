import { describe, expect, it } from 'vitest';
import { agentPaths, agentRoutes, reactSocketUrl } from './paths.js';

describe('agentPaths', () => {
  it('builds every route of the service', () => {
    const id = '0b5cf3b0-6a4a-4c11-9a53-6b0b9c1f7a10';
    expect(agentPaths.list()).toBe('/api/agents');
    expect(agentPaths.models()).toBe('/api/agents/models');
    expect(agentPaths.one(id)).toBe(`/api/agents/${id}`);
    expect(agentPaths.settings(id)).toBe(`/api/agents/${id}/settings`);
    expect(agentPaths.stop(id)).toBe(`/api/agents/${id}/stop`);
    expect(agentPaths.prompt(id)).toBe(`/api/agents/${id}/prompt`);
    expect(agentPaths.usage()).toBe('/api/agents/usage');
    expect(agentPaths.react(id)).toBe(`/api/agents/${id}/react`);
    expect(agentRoutes.react).toBe('/api/agents/:id/react');
  });

  it('encodes ids so a path cannot be smuggled', () => {
    expect(agentPaths.one('../x?y')).toBe('/api/agents/..%2Fx%3Fy');
  });
});

describe('reactSocketUrl', () => {
  it('switches to ws(s) and carries the token in access-token', () => {
    expect(reactSocketUrl('https://t.example/', 'a', 'x.y.z')).toBe(
      'wss://t.example/api/agents/a/react?access-token=x.y.z',
    );
    expect(reactSocketUrl('http://localhost:8080', 'a', 't')).toBe(
      'ws://localhost:8080/api/agents/a/react?access-token=t',
    );
  });

  it('has no query at all without a token (the subprotocol transport)', () => {
    expect(reactSocketUrl('https://t.example/app?x=1', 'a')).toBe(
      'wss://t.example/api/agents/a/react',
    );
  });
});
