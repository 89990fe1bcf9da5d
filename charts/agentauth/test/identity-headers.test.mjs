// headersToBackend is not retyped: it is compared with the auth core's IDENTITY_HEADERS, and the
// helm-unittest suite that asserts it is generated from that constant (see helm-unittest.mjs).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IDENTITY_HEADERS } from '@agentauth/auth-core';
import { render } from './tools.mjs';

describe('identity headers', () => {
  it('the SecurityPolicy copies exactly the auth core identity headers, in order', () => {
    const policy = render().docs.find((d) => d.kind === 'SecurityPolicy');
    assert.deepEqual(policy.spec.extAuth.http.headersToBackend, [...IDENTITY_HEADERS]);
  });

  it('the auth core still names three lower-case headers (a sanity check on the import)', () => {
    assert.equal(IDENTITY_HEADERS.length, 3);
    for (const name of IDENTITY_HEADERS) assert.match(name, /^x-user-[a-z]+$/);
  });
});
