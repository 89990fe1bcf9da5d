import { readdirSync, readFileSync } from 'node:fs';
import {
  ERROR_STATUS,
  GATEWAY_ERROR_MESSAGES,
  type GatewayErrorCode,
  refusal,
} from '@agentauth/auth-core';
import { describe, expect, it } from 'vitest';
import { API_NOT_FOUND_MESSAGE, gatewayAnswers, RATE_LIMITED_MESSAGE } from './gateway-answers.js';
import { renderGatewayConf, TEMPLATES_DIR } from './render.js';

const conf = renderGatewayConf({ staticRoot: '/srv/agentauth/web', logDir: '/tmp/agentauth-logs' });

/** The status and JSON body of a rendered `return <status> '<json>\n';` line. */
function parseReturn(line: string): { status: number; body: unknown } {
  const match = /^return (\d{3}) '(.*)\\n';$/.exec(line);
  if (!match) throw new Error(`not a JSON return: ${line}`);
  return { status: Number(match[1]), body: JSON.parse(match[2] as string) };
}

describe('the gateway answers', () => {
  it('type no error code and no JSON body into a template', () => {
    for (const name of readdirSync(TEMPLATES_DIR)) {
      const text = readFileSync(new URL(name, TEMPLATES_DIR), 'utf8');
      expect(text, name).not.toMatch(/ERR_[A-Z]/);
      expect(text, name).not.toMatch(/return \d{3} '/);
    }
  });

  it.each([
    ['authorizeUnavailableReturn', 'ERR_AUTHORIZE_UNAVAILABLE'],
    ['agentServiceUnavailableReturn', 'ERR_AGENT_SERVICE_UNAVAILABLE'],
  ] as const)('render %s as the auth core refusal for %s', (name, code: GatewayErrorCode) => {
    const line = gatewayAnswers()[name];
    expect(conf).toContain(line);
    const answer = refusal(code);
    expect(parseReturn(line)).toEqual({
      status: answer.status,
      body: JSON.parse(answer.body.toString('utf8')),
    });
  });

  it('answers an unserved /api/ path with ERR_NOT_FOUND at its status', () => {
    expect(parseReturn(gatewayAnswers().apiNotFoundReturn)).toEqual({
      status: ERROR_STATUS.ERR_NOT_FOUND,
      body: { error: { code: 'ERR_NOT_FOUND', message: API_NOT_FOUND_MESSAGE } },
    });
  });

  it('answers a per-client limit with ERR_RATE_LIMITED at its status (429)', () => {
    const line = gatewayAnswers().rateLimitedReturn;
    expect(conf).toContain(line);
    expect(parseReturn(line)).toEqual({
      status: ERROR_STATUS.ERR_RATE_LIMITED,
      body: { error: { code: 'ERR_RATE_LIMITED', message: RATE_LIMITED_MESSAGE } },
    });
  });

  it('fills a 401 from the deny maps, falling back to ERR_UNAUTHORIZED', () => {
    expect(gatewayAnswers().unauthorizedReturn).toBe(
      `return ${ERROR_STATUS.ERR_UNAUTHORIZED} '{"error":{"code":"$agentauth_unauthorized_code","message":"$agentauth_unauthorized_message"}}\\n';`,
    );
    expect(conf).toContain('    default "ERR_UNAUTHORIZED";');
    expect(conf).toContain(`    default "${GATEWAY_ERROR_MESSAGES.ERR_UNAUTHORIZED}";`);
  });

  it('fills a 403 from the deny maps (the code the answer names), falling back to ERR_FORBIDDEN', () => {
    expect(gatewayAnswers().forbiddenReturn).toBe(
      `return ${ERROR_STATUS.ERR_FORBIDDEN} '{"error":{"code":"$agentauth_forbidden_code","message":"$agentauth_forbidden_message"}}\\n';`,
    );
    expect(conf).toContain(
      'auth_request_set $agentauth_error_code $upstream_http_x_agentauth_error;',
    );
    expect(conf).toContain('    "~^ERR_ROLE_FORBIDDEN$" ERR_ROLE_FORBIDDEN;');
    expect(conf).toContain('    default "ERR_FORBIDDEN";');
    expect(conf).toContain(`    default "${GATEWAY_ERROR_MESSAGES.ERR_FORBIDDEN}";`);
  });
});
