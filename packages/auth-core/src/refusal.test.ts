import { STATUS_CODES } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  ERROR_STATUS,
  type ErrorCode,
  fixedMessage,
  GATEWAY_ERROR_MESSAGES,
  isErrorCode,
  SERVICE_ERROR_CODES,
} from './error-codes.js';
import { AUTH_ERROR_CODES, AUTH_ERROR_MESSAGES } from './errors.js';
import { STATUS_BY_CODE, wwwAuthenticate } from './http-status.js';
import { ERROR_CODE_HEADER, refusal, writeUpgradeRefusal } from './refusal.js';

const messageFor = (code: ErrorCode) => fixedMessage(code) ?? `Something about ${code}.`;

describe('the error vocabulary', () => {
  it('names every code once, with the ERR_ prefix and an error status', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(ERROR_CODES).toHaveLength(
      AUTH_ERROR_CODES.length +
        SERVICE_ERROR_CODES.length +
        Object.keys(GATEWAY_ERROR_MESSAGES).length,
    );
    for (const code of ERROR_CODES) {
      expect(code).toMatch(/^ERR_[A-Z_]+$/);
      expect(ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
      expect(STATUS_CODES[ERROR_STATUS[code]]).toBeDefined();
    }
  });

  it('keeps the auth codes at the statuses the decision path maps them to', () => {
    for (const code of AUTH_ERROR_CODES) expect(ERROR_STATUS[code]).toBe(STATUS_BY_CODE[code]);
  });

  it('has a 405 code of its own', () => {
    expect(ERROR_STATUS.ERR_METHOD_NOT_ALLOWED).toBe(405);
    expect(ERROR_STATUS.ERR_BAD_REQUEST).toBe(400);
  });

  it('recognises its own codes and nothing else', () => {
    expect(isErrorCode('ERR_FORBIDDEN')).toBe(true);
    expect(isErrorCode('NOT_FOUND')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });
});

describe('refusal', () => {
  it.each(ERROR_CODES)('builds the one shape for %s', (code) => {
    const answer = refusal(code, messageFor(code));
    expect(answer.status).toBe(ERROR_STATUS[code]);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['content-length']).toBe(String(answer.body.length));
    expect(answer.headers[ERROR_CODE_HEADER]).toBe(code);
    expect(JSON.parse(answer.body.toString('utf8'))).toEqual({
      error: { code, message: messageFor(code) },
    });
    const authCode = (AUTH_ERROR_CODES as string[]).includes(code);
    expect(answer.headers['www-authenticate']).toBe(
      authCode ? wwwAuthenticate(code as (typeof AUTH_ERROR_CODES)[number]) : undefined,
    );
  });

  it('uses the fixed sentence of auth and gateway codes', () => {
    expect(JSON.parse(refusal('ERR_TOKEN_EXPIRED').body.toString()).error.message).toBe(
      AUTH_ERROR_MESSAGES.ERR_TOKEN_EXPIRED,
    );
    expect(JSON.parse(refusal('ERR_FORBIDDEN').body.toString()).error.message).toBe(
      GATEWAY_ERROR_MESSAGES.ERR_FORBIDDEN,
    );
  });

  it('builds a fixed-sentence refusal once, with headers nobody can change', () => {
    const first = refusal('ERR_TOKEN_SIGNATURE');
    expect(refusal('ERR_TOKEN_SIGNATURE')).toBe(first);
    expect(Object.isFrozen(first.headers)).toBe(true);
    // A refusal with its own sentence is built for that sentence, never served from the store.
    const own = refusal('ERR_TOKEN_SIGNATURE', 'Another sentence.');
    expect(own).not.toBe(first);
    expect(JSON.parse(own.body.toString()).error.message).toBe('Another sentence.');
    expect(refusal('ERR_TOKEN_SIGNATURE')).toBe(first);
  });

  it('refuses to build a service refusal without a sentence', () => {
    expect(() => (refusal as (code: ErrorCode) => unknown)('ERR_NOT_FOUND')).toThrow(TypeError);
  });
});

describe('writeUpgradeRefusal', () => {
  async function written(code: ErrorCode): Promise<string> {
    const socket = new PassThrough();
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    writeUpgradeRefusal(socket, refusal(code, messageFor(code)));
    await closed;
    return Buffer.concat(chunks).toString('utf8');
  }

  it.each(ERROR_CODES)(
    'answers %s with its status and Node reason phrase, never a 101',
    async (code) => {
      const text = await written(code);
      const status = ERROR_STATUS[code];
      expect(text.startsWith(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n`)).toBe(true);
      expect(text).not.toMatch(/^HTTP\/1\.1 101/);
      expect(text).toContain('\r\nconnection: close\r\n');
      expect(text).toContain('\r\ncache-control: no-store\r\n');
      const [, body] = text.split('\r\n\r\n');
      expect(JSON.parse(body ?? '')).toEqual({ error: { code, message: messageFor(code) } });
    },
  );

  it('destroys a socket that can no longer be written without writing', () => {
    const socket = new PassThrough();
    socket.end();
    let wrote = false;
    socket.on('data', () => {
      wrote = true;
    });
    writeUpgradeRefusal(socket, refusal('ERR_TOKEN_MISSING'));
    expect(socket.destroyed).toBe(true);
    expect(wrote).toBe(false);
  });
});
