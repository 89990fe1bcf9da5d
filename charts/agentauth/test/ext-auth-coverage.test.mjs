// Cross-resource rule over `helm template` output: no value combination may render a route to the
// agent-service without the ext-auth SecurityPolicy (the bypass this chart exists to close).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IDENTITY_HEADERS } from '@agentauth/auth-core';
import { checkExtAuthCoverage } from './ext-auth-rule.mjs';
import { COMBINATIONS, render } from './tools.mjs';

const options = {
  identityHeaders: IDENTITY_HEADERS,
  externalAuthServices: ['platform-access-control'],
};

describe('every route to the agent-service is guarded by ext-auth', () => {
  for (const [name, values] of Object.entries(COMBINATIONS)) {
    it(`holds with ${name}`, () => {
      const { docs } = render(values);
      const { agentRoutes, violations } = checkExtAuthCoverage(docs, options);
      assert.deepEqual(violations, []);
      const routed =
        values['agentService.enabled'] !== false && values['agentService.route.enabled'] !== false;
      const prefix = values.fullnameOverride ?? 'texera';
      assert.deepEqual(agentRoutes, routed ? [`${prefix}-agent-service-route`] : []);
    });
  }
});

describe('the rule check itself catches a bypass', () => {
  const fresh = () => render().docs;
  const policyOf = (docs) => docs.find((d) => d.kind === 'SecurityPolicy');
  const cases = [
    [
      'a missing SecurityPolicy',
      (docs) => docs.filter((d) => d.kind !== 'SecurityPolicy'),
      /no SecurityPolicy targets it/,
    ],
    [
      'a policy retargeted to the web route',
      (docs) => {
        policyOf(docs).spec.targetRefs[0].name = 'texera-web-route';
        return docs;
      },
      /no SecurityPolicy targets it/,
    ],
    [
      'a policy limited to one rule by sectionName',
      (docs) => {
        policyOf(docs).spec.targetRefs[0].sectionName = 'rule-0';
        return docs;
      },
      /no SecurityPolicy targets it/,
    ],
    [
      'a policy that fails open',
      (docs) => {
        policyOf(docs).spec.extAuth.failOpen = true;
        return docs;
      },
      /fails open/,
    ],
    [
      'a policy checking another path',
      (docs) => {
        policyOf(docs).spec.extAuth.http.path = '/api/authz';
        return docs;
      },
      /not \/api\/auth/,
    ],
    [
      'a policy asking another service',
      (docs) => {
        policyOf(docs).spec.extAuth.http.backendRefs[0].name = 'texera-web';
        return docs;
      },
      /not the access-control-service/,
    ],
    [
      'a policy dropping an identity header',
      (docs) => {
        policyOf(docs).spec.extAuth.http.headersToBackend.pop();
        return docs;
      },
      /copies/,
    ],
    [
      'a second route to the agent-service without a policy',
      (docs) => {
        const route = structuredClone(
          docs.find((d) => d.metadata?.name === 'texera-agent-service-route'),
        );
        route.metadata.name = 'texera-agents-v2';
        return [...docs, route];
      },
      /HTTPRoute texera-agents-v2 reaches the agent-service but no SecurityPolicy targets it/,
    ],
  ];
  for (const [name, mutate, expected] of cases) {
    it(`reports ${name}`, () => {
      const { violations } = checkExtAuthCoverage(mutate(fresh()), options);
      assert.match(violations.join('\n'), expected);
    });
  }
});
