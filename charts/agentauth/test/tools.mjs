// Shared by the chart's node tests: finds the CLI tools, renders the chart, parses manifests.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const CHART_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(CHART_DIR, '../..');
export const TOOLS_DIR = process.env.AGENTAUTH_TOOLS || join(REPO_ROOT, '.tools');
export const SCHEMAS_DIR = join(TOOLS_DIR, 'share', 'kube-schemas');
export const INSTALL_HINT = 'run `bash scripts/setup helm-tools` from the repository root';

/** The Kubernetes versions the rendered manifests are validated against (see setup). */
export const KUBE_VERSIONS = ['1.29.0', '1.37.0'];

/**
 * Absolute path of a tool: $<ENV> if set, else .tools/bin, else PATH. Throws with the install
 * hint when missing, so a missing tool fails the test instead of skipping it.
 * @example const helm = findTool('helm', 'HELM_BIN')
 */
export function findTool(name, envVar) {
  const candidates = [];
  if (envVar && process.env[envVar]) candidates.push(process.env[envVar]);
  candidates.push(join(TOOLS_DIR, 'bin', name), join(REPO_ROOT, '.tools', 'bin', name));
  for (const dir of (process.env.PATH ?? '').split(delimiter))
    if (dir) candidates.push(join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(`${name} is not installed: ${INSTALL_HINT}`);
}

/** The offline schema folder kubeconform needs; throws with the install hint when missing. */
export function schemasDir() {
  if (!existsSync(join(SCHEMAS_DIR, 'crds'))) {
    throw new Error(`the kubeconform schemas are missing from ${SCHEMAS_DIR}: ${INSTALL_HINT}`);
  }
  return SCHEMAS_DIR;
}

/** Values every render needs; tests add their own on top. */
export const REQUIRED_VALUES = {
  'auth.jwtSecret.value': '3f6c0d2a9b7e4f18a5c1d6e0b2f9a7c4',
  'agentService.llm.baseUrl': 'http://litellm.ai.svc:4000/v1',
  'agentService.llm.apiKey.value': 'sk-test-llm-key',
};

function setArgs(values) {
  const args = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (typeof value === 'string') args.push('--set-string', `${key}=${value}`);
    else args.push('--set-json', `${key}=${JSON.stringify(value)}`);
  }
  return args;
}

/**
 * Runs `helm template` and returns its stdout, stderr and exit status (it never throws on a
 * failed render, so tests can assert on the message).
 * @example const { status, stdout } = renderRaw({ 'agentService.enabled': false })
 */
export function renderRaw(
  values = {},
  { release = 'texera', namespace = 'platform', kubeVersion } = {},
) {
  const helm = findTool('helm', 'HELM_BIN');
  const args = ['template', release, CHART_DIR, '--namespace', namespace, ...setArgs(values)];
  if (kubeVersion) args.push('--kube-version', kubeVersion);
  const result = spawnSync(helm, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Renders the chart with REQUIRED_VALUES plus `values` and returns the manifests as objects.
 * @example const docs = render({ 'gateway.create': true })
 */
export function render(values = {}, options = {}) {
  const { status, stdout, stderr } = renderRaw({ ...REQUIRED_VALUES, ...values }, options);
  if (status !== 0) throw new Error(`helm template failed: ${stderr.trim()}`);
  return { docs: parseManifests(stdout), yaml: stdout };
}

/** Parses a multi-document YAML stream, dropping empty documents. */
export function parseManifests(text) {
  const docs = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value) docs.push(value);
  }
  return docs;
}

/** Runs a tool and returns its stdout; throws with stdout and stderr on a non-zero exit. */
export function run(tool, args, options = {}) {
  try {
    return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  } catch (error) {
    throw new Error(
      `${tool} ${args.join(' ')} failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`,
    );
  }
}

/** Value combinations every whole-chart check runs over: defaults and each toggle flipped. */
export const COMBINATIONS = {
  defaults: {},
  'gateway created': { 'gateway.create': true, 'gateway.name': 'agentauth' },
  'existing secrets': {
    'auth.jwtSecret.value': '',
    'auth.jwtSecret.existingSecret': 'platform-jwt',
    'agentService.llm.apiKey.value': '',
    'agentService.llm.apiKey.existingSecret': 'litellm-keys',
  },
  'hostnames, cross-namespace gateway and listener': {
    hostnames: ['texera.example.org'],
    'gateway.namespace': 'envoy-gateway-system',
    'gateway.sectionName': 'https',
  },
  'fullnameOverride and nameOverride': { fullnameOverride: 'prod', nameOverride: 'auth' },
  'autoscaling on': {
    'accessControlService.autoscaling.enabled': true,
    'web.autoscaling.enabled': true,
  },
  'persistence off': { 'agentService.persistence.enabled': false },
  'existing claim': { 'agentService.persistence.existingClaim': 'agents-db' },
  'PostgreSQL, three replicas': {
    'agentService.replicaCount': 3,
    'agentService.database.type': 'postgresql',
    'agentService.database.postgresql.existingSecret': 'agent-db',
  },
  'tuned ext-auth': {
    'securityPolicy.extAuth.timeout': '2s',
    'securityPolicy.extAuth.statusOnError': 503,
    'securityPolicy.extAuth.headersToExtAuth': ['x-request-id'],
    'agentService.route.timeouts': { request: '0s' },
  },
  'external access-control-service': {
    'accessControlService.enabled': false,
    'securityPolicy.extAuth.externalService.name': 'platform-access-control',
  },
  'agent route off': { 'agentService.route.enabled': false },
  'agent-service off': { 'agentService.enabled': false },
  'web off': { 'web.enabled': false },
  'web route off': { 'web.route.enabled': false },
  'operator surface on': {
    imageRegistry: 'ghcr.io/acme',
    'serviceAccount.create': true,
    'networkPolicy.enabled': true,
    'networkPolicy.metricsFrom': [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
    ],
    'networkPolicy.database.enabled': true,
    'networkPolicy.llm.to': [{ ipBlock: { cidr: '10.20.0.0/16' } }],
    'agentService.metrics.enabled': true,
    'agentService.metrics.serviceMonitor.enabled': true,
    'agentService.extraEnv': [{ name: 'LLM_TIMEOUT_MS', value: '300000' }],
    'agentService.envFrom': [{ configMapRef: { name: 'agent-tuning' } }],
    'agentService.extraVolumes': [{ name: 'ca', configMap: { name: 'corporate-ca' } }],
    'agentService.extraVolumeMounts': [{ name: 'ca', mountPath: '/etc/ssl/extra' }],
    'agentService.startupProbe.enabled': true,
    'agentService.terminationGracePeriodSeconds': 120,
    'agentService.podLabels': { team: 'data-platform' },
    'agentService.service.annotations': { 'service.kubernetes.io/topology-mode': 'Auto' },
    'web.startupProbe.enabled': true,
    'accessControlService.startupProbe.enabled': true,
  },
  'traffic policy off': { 'agentService.route.trafficPolicy.enabled': false },
};
