import { SESSION_CLOSE_CODE } from '@agentauth/auth-core/ws';
import { describe, expect, it } from 'vitest';
import { formatZodError } from '../format-zod-error.js';
import { ClientFrame } from './client-frames.js';
import { CLOSE_CODE } from './close-codes.js';
import { ServerEvent } from './server-events.js';

describe('ClientFrame', () => {
  it('accepts prompt and stop frames of version 1', () => {
    expect(ClientFrame.parse({ v: 1, type: 'prompt', text: ' hi ' })).toEqual({
      v: 1,
      type: 'prompt',
      text: 'hi',
    });
    expect(ClientFrame.parse({ v: 1, type: 'stop' })).toEqual({ v: 1, type: 'stop' });
  });

  it.each([
    { v: 2, type: 'stop' },
    { type: 'stop' },
    { v: 1, type: 'dance' },
    { v: 1, type: 'prompt' },
    { v: 1, type: 'prompt', text: '' },
    { v: 1, type: 'prompt', text: 'x'.repeat(16_001) },
    { v: 1, type: 'stop', extra: true },
    [],
    'prompt',
  ])('refuses %j', (frame) => {
    const result = ClientFrame.safeParse(frame);
    expect(result.success).toBe(false);
    if (!result.success) expect(formatZodError(result.error)).toMatch(/\.$/);
  });
});

describe('ServerEvent', () => {
  it('parses each event type', () => {
    const at = new Date().toISOString();
    const events = [
      { v: 1, type: 'status', state: 'running', runId: 'r' },
      { v: 1, type: 'error', code: 'ERR_BAD_FRAME', message: 'Unknown frame type.' },
      { v: 1, type: 'step', step: { kind: 'text_delta', runId: 'r', seq: 1, delta: 'He' } },
      {
        v: 1,
        type: 'step',
        step: {
          kind: 'tool_call',
          runId: 'r',
          seq: 2,
          at,
          callId: 'c',
          tool: 'calculator',
          arguments: '{}',
        },
      },
      {
        v: 1,
        type: 'step',
        step: {
          kind: 'tool_result',
          runId: 'r',
          seq: 3,
          at,
          callId: 'c',
          tool: 'calculator',
          output: '42',
          ok: true,
        },
      },
      { v: 1, type: 'step', step: { kind: 'final_answer', runId: 'r', seq: 4, at, text: '42' } },
    ];
    for (const event of events) expect(ServerEvent.parse(event)).toEqual(event);
  });
});

describe('CLOSE_CODE', () => {
  it("equals the auth core's session close codes", () => {
    expect(CLOSE_CODE.tokenExpired).toBe(SESSION_CLOSE_CODE.tokenExpired);
    expect(CLOSE_CODE.forbidden).toBe(SESSION_CLOSE_CODE.forbidden);
  });

  it('uses the standard codes for policy and oversized frames', () => {
    expect(CLOSE_CODE.policy).toBe(1008);
    expect(CLOSE_CODE.tooLarge).toBe(1009);
  });
});

describe('forward compatibility', () => {
  it('parses server events leniently: fields a newer service adds are dropped', () => {
    const event = { v: 1, type: 'status', state: 'idle', extra: 1 };
    expect(ServerEvent.parse(event)).toEqual({ v: 1, type: 'status', state: 'idle' });
  });

  it('keeps client frames strict', () => {
    expect(ClientFrame.safeParse({ v: 1, type: 'stop', extra: 1 }).success).toBe(false);
  });
});
