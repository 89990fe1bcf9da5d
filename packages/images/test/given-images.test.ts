import { describe, expect, it } from 'vitest';
import { GIVEN_IMAGES_VARIABLE, givenImages } from '../src/given-images.js';

const refs = {
  'access-control-service': 'ghcr.io/acme/agentauth/access-control-service:0.1.0',
  'agent-service': 'ghcr.io/acme/agentauth/agent-service:0.1.0',
  web: 'ghcr.io/acme/agentauth/web:0.1.0',
};
const given = (value: string | undefined, exists: (ref: string) => boolean = () => true) =>
  givenImages({ [GIVEN_IMAGES_VARIABLE]: value }, exists);

describe('givenImages (the images pnpm release hands its image tests)', () => {
  it('is undefined when the variable is unset or empty, so the tests build their own', () => {
    const asked: string[] = [];
    const record = (ref: string) => {
      asked.push(ref);
      return true;
    };
    expect(givenImages({}, record)).toBeUndefined();
    expect(given('', record)).toBeUndefined();
    expect(given('  ', record)).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it('returns the refs once podman has every one of them', () => {
    const asked: string[] = [];
    const result = given(JSON.stringify(refs), (ref) => {
      asked.push(ref);
      return true;
    });
    expect(result).toEqual(refs);
    expect(asked.sort()).toEqual(Object.values(refs).sort());
  });

  it('fails with one sentence naming the variable and the missing image', () => {
    const missing = refs['agent-service'];
    expect(() => given(JSON.stringify(refs), (ref) => ref !== missing)).toThrow(
      `${GIVEN_IMAGES_VARIABLE} names ${missing} for agent-service, which podman does not have (podman image exists): build it (pnpm images) or unset the variable.`,
    );
  });

  it.each([
    ['not JSON', '{web:'],
    ['an array', JSON.stringify(Object.values(refs))],
    ['a string', JSON.stringify('web')],
    ['null', 'null'],
    ['an image left out', JSON.stringify({ ...refs, web: undefined })],
    ['an unknown image', JSON.stringify({ ...refs, gateway: 'localhost/agentauth/gateway:0.1.0' })],
    ['an empty ref', JSON.stringify({ ...refs, web: '' })],
    ['a ref that is not a string', JSON.stringify({ ...refs, web: 1 })],
  ])('refuses %s without asking podman', (_, value) => {
    const asked: string[] = [];
    expect(() =>
      given(value, (ref) => {
        asked.push(ref);
        return true;
      }),
    ).toThrow(
      `${GIVEN_IMAGES_VARIABLE} must be a JSON object with an image ref for each of access-control-service, agent-service, web and nothing else.`,
    );
    expect(asked).toEqual([]);
  });
});
