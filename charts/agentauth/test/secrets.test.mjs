// The chart refuses exactly the JWT secrets the services refuse (the auth core's loadSecret is the
// oracle), and no secret ever appears outside a Secret.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSecret, MIN_SECRET_LENGTH, PUBLIC_DEFAULT_SECRET } from '@agentauth/auth-core';
import { COMBINATIONS, REQUIRED_VALUES, render, renderRaw } from './tools.mjs';

async function servicesAccept(secret) {
  try {
    const resolved = await loadSecret({ AUTH_JWT_SECRET: secret });
    return !resolved.insecure;
  } catch {
    return false;
  }
}

const candidates = [
  ['the public default', PUBLIC_DEFAULT_SECRET],
  ['the public default upper-cased', PUBLIC_DEFAULT_SECRET.toUpperCase()],
  ['"random"', 'random'],
  ['"RANDOM"', 'RANDOM'],
  ['one character short', 'k'.repeat(MIN_SECRET_LENGTH - 1)],
  ['exactly the minimum length', 'k'.repeat(MIN_SECRET_LENGTH)],
  ['a hex secret of 64 characters', 'a3'.repeat(32)],
  ['a passphrase with spaces', 'correct horse battery staple and more words'],
  ['16 non-ASCII characters (48 bytes)', '鍵'.repeat(16)],
  ['32 non-ASCII characters', 'é'.repeat(32)],
  ['an ASCII secret with one capital sigma', `${'k'.repeat(40)}Σ`],
  ['an ASCII secret with a dotted capital I', `İ${'k'.repeat(40)}`],
];

describe('JWT secret acceptance matches the services', () => {
  for (const [name, secret] of candidates) {
    it(`agrees on ${name}`, async () => {
      const expected = await servicesAccept(secret);
      const { status, stderr } = renderRaw({ ...REQUIRED_VALUES, 'auth.jwtSecret.value': secret });
      assert.equal(status === 0, expected, `services accept: ${expected}; helm: ${stderr.trim()}`);
      if (!expected) assert.match(stderr, /auth\.jwtSecret/);
      assert.ok(
        !stderr.includes(secret) || secret === 'random' || secret === 'RANDOM',
        'the error echoes the secret',
      );
    });
  }

  it('refuses to render with no secret at all', () => {
    const { status, stderr } = renderRaw({ ...REQUIRED_VALUES, 'auth.jwtSecret.value': '' });
    assert.notEqual(status, 0);
    assert.match(stderr, /no JWT secret given/);
  });
});

describe('secrets are never inlined', () => {
  const jwt = REQUIRED_VALUES['auth.jwtSecret.value'];
  const llm = REQUIRED_VALUES['agentService.llm.apiKey.value'];
  const encoded = [jwt, llm].map((s) => Buffer.from(s).toString('base64'));
  for (const [name, values] of Object.entries(COMBINATIONS)) {
    it(`keeps both secrets inside Secrets only, with ${name}`, () => {
      const { docs } = render(values);
      for (const doc of docs) {
        const text = JSON.stringify(doc);
        if (doc.kind === 'Secret') {
          assert.ok(
            !text.includes(jwt) && !text.includes(llm),
            `Secret ${doc.metadata.name} holds a plain value`,
          );
          continue;
        }
        for (const needle of [jwt, llm, ...encoded]) {
          assert.ok(!text.includes(needle), `${doc.kind} ${doc.metadata.name} contains a secret`);
        }
      }
      assert.equal(docs.filter((d) => d.kind === 'ConfigMap').length, 0);
    });
  }

  it('never sets the insecure-development switch', () => {
    for (const values of Object.values(COMBINATIONS)) {
      assert.ok(!render(values).yaml.includes('AGENTAUTH_INSECURE_DEV_SECRET'));
    }
  });
});
