// Envoy Gateway's own translator (egctl x translate, offline) accepts the Gateway, routes and
// SecurityPolicy, and the xDS it produces runs ext_authz on the agent route only, against
// /api/auth on the access-control-service, copying the identity headers upstream.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { IDENTITY_HEADERS } from '@agentauth/auth-core';
import { findTool, render, run } from './tools.mjs';

const work = mkdtempSync(join(tmpdir(), 'agentauth-egctl-'));
after(() => rmSync(work, { recursive: true, force: true }));

const GATEWAY_CLASS = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: eg
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
`;

// An access-control-service deployed outside the release, as the cluster would hold it.
const EXTERNAL_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: platform-access-control
  namespace: platform
spec:
  selector:
    app: platform-access-control
  ports:
    - name: http
      port: 9096
      targetPort: 9096
---
`;

/** Translates the chart's output plus the GatewayClass and any `extra` cluster objects. */
function translate(values, name, extra = '') {
  const { yaml } = render({ 'gateway.create': true, 'gateway.name': 'eg', ...values });
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, `${GATEWAY_CLASS}---\n${extra}${yaml}`);
  const out = run(findTool('egctl'), [
    'x',
    'translate',
    '--from',
    'gateway-api',
    '--to',
    'gateway-api,xds',
    '--type',
    'all',
    '--output',
    'json',
    '--add-missing-resources',
    '--file',
    file,
  ]);
  return JSON.parse(out);
}

/** Every object under `node` (depth first). */
function* walk(node) {
  if (node && typeof node === 'object') {
    yield node;
    for (const value of Object.values(node)) yield* walk(value);
  }
}

const conditionsOf = (resource) =>
  (resource.status?.ancestors ?? resource.status?.parents ?? []).flatMap((a) => a.conditions ?? []);
const isTrue = (resource, type) =>
  conditionsOf(resource).some((c) => c.type === type && c.status === 'True');

function extAuthFilters(result) {
  return [...walk(result.xds)].filter((n) => n.name?.startsWith?.('envoy.filters.http.ext_authz/'));
}

/** xDS routes (named, with a match and a route action). */
function xdsRoutes(result) {
  return [...walk(result.xds)].filter((n) => n.match && n.route && typeof n.name === 'string');
}

describe('egctl x translate', () => {
  const result = translate({}, 'defaults');

  it('accepts the SecurityPolicy on the agent route', () => {
    const [policy] = result.securityPolicies;
    assert.equal(policy.metadata.name, 'texera-agent-service-ext-auth');
    assert.ok(isTrue(policy, 'Accepted'), JSON.stringify(policy.status));
  });

  it('accepts both routes and resolves their backends', () => {
    assert.equal(result.httpRoutes.length, 2);
    for (const route of result.httpRoutes) {
      assert.ok(
        isTrue(route, 'Accepted'),
        `${route.metadata.name}: ${JSON.stringify(route.status)}`,
      );
      assert.ok(
        isTrue(route, 'ResolvedRefs'),
        `${route.metadata.name}: ${JSON.stringify(route.status)}`,
      );
    }
  });

  it('configures ext_authz for /api/auth on the access-control-service with the identity headers, failing closed', () => {
    const filters = extAuthFilters(result);
    assert.equal(filters.length, 1);
    const config = filters[0].typedConfig;
    assert.notEqual(config.failureModeAllow, true);
    assert.equal(config.httpService.pathPrefix, '/api/auth');
    assert.match(
      config.httpService.serverUri.uri,
      /^http:\/\/texera-access-control-service\.platform:9096\/api\/auth$/,
    );
    assert.equal(config.httpService.serverUri.timeout, '5s');
    const allowed = config.httpService.authorizationResponse.allowedUpstreamHeaders.patterns.map(
      (p) => p.exact,
    );
    assert.deepEqual(allowed, [...IDENTITY_HEADERS]);
  });

  it('enables ext_authz on the agent route (REST and WebSocket) and not on the web route', () => {
    const filterName = extAuthFilters(result)[0].name;
    const routes = xdsRoutes(result);
    const agent = routes.find((r) =>
      r.name.startsWith('httproute/platform/texera-agent-service-route/'),
    );
    const web = routes.find((r) => r.name.startsWith('httproute/platform/texera-web-route/'));
    assert.equal(agent.match.pathSeparatedPrefix, '/api/agents');
    assert.ok(
      agent.typedPerFilterConfig?.[filterName],
      'agent route lacks the ext_authz per-route config',
    );
    assert.notEqual(agent.typedPerFilterConfig[filterName].disabled, true);
    assert.ok(agent.route.upgradeConfigs.some((u) => u.upgradeType === 'websocket'));
    assert.equal(web.typedPerFilterConfig?.[filterName], undefined);
  });

  it('also accepts the policy with an external access-control-service, timeouts and an error status', () => {
    const tuned = translate(
      {
        'accessControlService.enabled': false,
        'securityPolicy.extAuth.externalService.name': 'platform-access-control',
        'securityPolicy.extAuth.statusOnError': 503,
        'agentService.route.timeouts': { request: '0s' },
      },
      'tuned',
      EXTERNAL_SERVICE,
    );
    assert.ok(
      isTrue(tuned.securityPolicies[0], 'Accepted'),
      JSON.stringify(tuned.securityPolicies[0].status),
    );
    const config = extAuthFilters(tuned)[0].typedConfig;
    assert.match(
      config.httpService.serverUri.uri,
      /platform-access-control\.platform:9096\/api\/auth$/,
    );
    assert.equal(config.statusOnError?.code, 'ServiceUnavailable');
  });
});

describe('egctl x translate: the agent route BackendTrafficPolicy', () => {
  // With request: "0s" (no route timeout), only the policy's stream idle timeout reaps an
  // abandoned WebSocket.
  const result = translate({ 'agentService.route.timeouts': { request: '0s' } }, 'traffic');
  const agentRoute = () =>
    xdsRoutes(result).find((r) =>
      r.name.startsWith('httproute/platform/texera-agent-service-route/'),
    );
  const agentCluster = () =>
    [...walk(result.xds)].find(
      (n) =>
        typeof n.name === 'string' &&
        n.name.startsWith('httproute/platform/texera-agent-service-route/') &&
        n.connectTimeout !== undefined,
    );

  it('is accepted', () => {
    const [policy] = result.backendTrafficPolicies;
    assert.equal(policy.metadata.name, 'texera-agent-service-traffic');
    assert.ok(isTrue(policy, 'Accepted'), JSON.stringify(policy.status));
  });

  it('raises the circuit breaker of the agent-service cluster above Envoy’s 1,024 connections', () => {
    const thresholds = agentCluster().circuitBreakers.thresholds[0];
    assert.equal(thresholds.maxConnections, 16384);
    assert.equal(thresholds.maxPendingRequests, 1024);
    assert.equal(thresholds.maxRequests, 16384);
  });

  it('sets the stream idle timeout on the agent route even with the request timeout off', () => {
    assert.equal(agentRoute().route.idleTimeout, '1800s');
    assert.ok(agentRoute().route.upgradeConfigs.some((u) => u.upgradeType === 'websocket'));
  });

  it('turns on TCP keep-alive towards the agent-service', () => {
    const keepalive = agentCluster().upstreamConnectionOptions.tcpKeepalive;
    assert.deepEqual(keepalive, { keepaliveProbes: 3, keepaliveTime: 60, keepaliveInterval: 20 });
  });
});

// A Gateway the platform already runs, pointing at the EnvoyProxy the chart renders on request.
const EXISTING_GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: eg
  namespace: platform
spec:
  gatewayClassName: eg
  infrastructure:
    parametersRef:
      group: gateway.envoyproxy.io
      kind: EnvoyProxy
      name: texera-envoy-proxy
  listeners:
    - name: http
      protocol: HTTP
      port: 80
      allowedRoutes:
        namespaces:
          from: Same
---
`;

/** Every access log of every listener (the proxy's request logs; not the admin interface's). */
function listenerAccessLogs(result) {
  return [...walk(result.xds)]
    .filter((n) => n.listener && typeof n.listener === 'object')
    .flatMap((n) => [...walk(n.listener)])
    .flatMap((n) => (Array.isArray(n.accessLog) ? n.accessLog : []));
}

/** The format strings of an access log; Envoy's built-in default when it names none. */
function formatStrings(log) {
  const format = log.typedConfig?.logFormat;
  if (!format) return ['%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% (Envoy default format)'];
  if (format.jsonFormat) return Object.values(format.jsonFormat).map(String);
  return [format.textFormatSource?.inlineString ?? format.textFormat ?? JSON.stringify(format)];
}

// Operators that print the path with its query (where ?access-token= rides), or a header that
// carries a token.
const FULL_PATH =
  /%REQ\((:PATH|X-ENVOY-ORIGINAL-PATH[^)]*)\)%|%PATH%|%PATH\(WQ[^)]*\)%|%REQ\((AUTHORIZATION|SEC-WEBSOCKET-PROTOCOL|REFERER|COOKIE)\)%/i;

function fullPathReferences(result) {
  return listenerAccessLogs(result)
    .flatMap(formatStrings)
    .filter((f) => FULL_PATH.test(f));
}

describe('egctl x translate: the proxy access log', () => {
  it('with the chart-created Gateway: no access-log format references the full path or a token header', () => {
    const result = translate({}, 'access-log');
    const proxy = result.envoyProxiesForGateways?.[0];
    assert.equal(proxy?.metadata.name, 'texera-envoy-proxy');
    assert.ok(isTrue(proxy, 'Accepted'), JSON.stringify(proxy?.status));
    const logs = listenerAccessLogs(result);
    assert.ok(logs.length > 0, 'the agent route has no access log at all');
    assert.deepEqual(fullPathReferences(result), []);
    const fields = logs.map((l) => l.typedConfig.logFormat.jsonFormat);
    for (const json of fields) assert.equal(json['x-envoy-origin-path'], '%PATH(NQ)%');
    // The other default fields are kept (a custom JSON format replaces them all).
    for (const json of fields)
      for (const field of [
        'start_time',
        'method',
        'response_code',
        'duration',
        'x-request-id',
        'route_name',
      ])
        assert.ok(json[field], `access log lost the default field ${field}`);
  });

  it('without the EnvoyProxy, the default format logs the path with its query (what the chart fixes)', () => {
    const result = translate({ 'envoyProxy.enabled': false }, 'access-log-default');
    assert.ok(fullPathReferences(result).length > 0);
  });

  it('with an existing Gateway that references the rendered-on-request EnvoyProxy: no full path either', () => {
    const result = translate(
      { 'gateway.create': false, 'envoyProxy.renderForExistingGateway': true },
      'existing-gateway',
      EXISTING_GATEWAY,
    );
    assert.ok(isTrue(result.envoyProxiesForGateways?.[0], 'Accepted'));
    assert.ok(listenerAccessLogs(result).length > 0);
    assert.deepEqual(fullPathReferences(result), []);
  });

  it('sends Sec-WebSocket-Protocol (the browser WebSocket token) to ext-auth', () => {
    const config = extAuthFilters(translate({}, 'ext-auth-headers'))[0].typedConfig;
    assert.deepEqual(
      config.allowedHeaders.patterns.map((p) => p.exact),
      ['sec-websocket-protocol'],
    );
  });
});
