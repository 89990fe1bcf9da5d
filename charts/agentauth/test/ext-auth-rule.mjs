// The rule the chart must never break: every HTTPRoute that can reach the agent-service is the
// target of an Envoy Gateway SecurityPolicy that sends each request to the access-control-service
// at /api/auth, fails closed and copies exactly the auth core's identity headers to the backend.
import { isDeepStrictEqual } from 'node:util';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const component = (doc) => doc.metadata?.labels?.['app.kubernetes.io/component'];
const namespaceOf = (doc) => doc.metadata?.namespace ?? 'default';

function refersToService(ref, names, namespace) {
  const kind = ref.kind ?? 'Service';
  const group = ref.group ?? '';
  const ns = ref.namespace ?? namespace;
  return kind === 'Service' && group === '' && ns === namespace && names.has(ref.name);
}

function policyTargets(policy) {
  const spec = policy.spec ?? {};
  return [...(spec.targetRefs ?? []), ...(spec.targetRef ? [spec.targetRef] : [])];
}

/** Why `policy` does not guard a route with ext-auth as required, or undefined when it does. */
function extAuthProblem(policy, authServices, identityHeaders) {
  const ext = policy.spec?.extAuth;
  if (!ext) return 'has no extAuth';
  if (ext.failOpen === true) return 'fails open';
  if (!ext.http) return 'has no extAuth.http';
  if (ext.http.path !== '/api/auth') return `sends checks to path ${ext.http.path}, not /api/auth`;
  if (ext.http.pathOverride !== undefined) return 'overrides the check path';
  const refs = [
    ...(ext.http.backendRefs ?? []),
    ...(ext.http.backendRef ? [ext.http.backendRef] : []),
  ];
  if (refs.length === 0) return 'has no ext-auth backend';
  const ns = namespaceOf(policy);
  const stray = refs.find((ref) => !refersToService(ref, authServices, ns));
  if (stray)
    return `sends checks to ${stray.kind ?? 'Service'} ${stray.name}, not the access-control-service`;
  if (!isDeepStrictEqual(ext.http.headersToBackend, [...identityHeaders])) {
    return `copies ${JSON.stringify(ext.http.headersToBackend)} instead of ${JSON.stringify(identityHeaders)}`;
  }
  return undefined;
}

/**
 * Returns the agent routes found and one sentence per violation (empty when the rule holds).
 * @example checkExtAuthCoverage(docs, { identityHeaders: IDENTITY_HEADERS }).violations // []
 */
export function checkExtAuthCoverage(docs, { identityHeaders, externalAuthServices = [] }) {
  const services = docs.filter((d) => d.kind === 'Service');
  const agentServices = new Set(
    services
      .filter(
        (s) =>
          component(s) === 'agent-service' ||
          s.spec?.selector?.['app.kubernetes.io/component'] === 'agent-service',
      )
      .map((s) => s.metadata.name),
  );
  const authServices = new Set([
    ...services
      .filter((s) => component(s) === 'access-control-service')
      .map((s) => s.metadata.name),
    ...externalAuthServices,
  ]);
  const routes = docs.filter((d) => d.kind === 'HTTPRoute');
  const policies = docs.filter((d) => d.kind === 'SecurityPolicy');
  const violations = [];

  const agentRoutes = routes.filter((route) =>
    (route.spec?.rules ?? []).some((rule) =>
      (rule.backendRefs ?? []).some((ref) =>
        refersToService(ref, agentServices, namespaceOf(route)),
      ),
    ),
  );
  for (const route of agentRoutes) {
    const name = route.metadata.name;
    const guarding = policies.filter(
      (p) =>
        namespaceOf(p) === namespaceOf(route) &&
        policyTargets(p).some(
          (t) =>
            t.group === GATEWAY_GROUP &&
            t.kind === 'HTTPRoute' &&
            t.name === name &&
            !t.sectionName,
        ),
    );
    if (guarding.length === 0) {
      violations.push(
        `HTTPRoute ${name} reaches the agent-service but no SecurityPolicy targets it`,
      );
      continue;
    }
    for (const policy of guarding) {
      const problem = extAuthProblem(policy, authServices, identityHeaders);
      if (problem)
        violations.push(`SecurityPolicy ${policy.metadata.name} on HTTPRoute ${name} ${problem}`);
    }
  }
  for (const policy of policies) {
    for (const target of policyTargets(policy)) {
      if (target.kind === 'HTTPRoute' && !routes.some((r) => r.metadata.name === target.name)) {
        violations.push(
          `SecurityPolicy ${policy.metadata.name} targets HTTPRoute ${target.name}, which is not rendered`,
        );
      }
    }
  }
  return { agentRoutes: agentRoutes.map((r) => r.metadata.name), violations };
}
