import { describe, expect, it } from 'vitest';
import { displayToken } from '../../test/fake-backend.js';
import { tokenFromInput } from './token-input.js';

const token = displayToken({ sub: 'alice', role: 'REGULAR' });

describe('tokenFromInput', () => {
  it.each([
    ['the token', token],
    ['the token with spaces around it', `  ${token}\n`],
    ['the whole sign-in link', `http://127.0.0.1:8080/#access_token=${token}`],
    [
      'a link with other fragment parameters',
      `https://agents.example/#tab=x&access_token=${token}`,
    ],
  ])('accepts %s', (_name, input) => {
    expect(tokenFromInput(input)).toBe(token);
  });

  it.each([
    ['nothing', '   '],
    ['a word', 'hello'],
    ['a link without a token', 'http://127.0.0.1:8080/'],
    ['a link with an empty token', 'http://127.0.0.1:8080/#access_token='],
    ['two parts only', 'eyJhbGciOiJIUzI1NiJ9.eyJ9'],
  ])('refuses %s', (_name, input) => {
    expect(tokenFromInput(input)).toBeNull();
  });
});
