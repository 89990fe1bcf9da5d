import { readFileSync } from 'node:fs';
import { REDACTED } from '@agentauth/auth-core';
import { authDirectives } from './auth-directives.js';
import { gatewayAnswers } from './gateway-answers.js';
import {
  type GatewayInput,
  type GatewayOptions,
  resolveGatewayOptions,
} from './gateway-options.js';
import { fillTemplate, type TemplateValues } from './template.js';

/** Where the templates live (shipped beside `dist/`). */
export const TEMPLATES_DIR = new URL('../templates/', import.meta.url);

function loadTemplate(name: string): string {
  return readFileSync(new URL(`${name}.conf.template`, TEMPLATES_DIR), 'utf8');
}

function templateValues(options: GatewayOptions): TemplateValues {
  return {
    ...options,
    // Optional values stay known to the template even when unset, for their {{#if}}.
    user: options.user,
    benchmarkControlPort: options.benchmarkControlPort,
    benchmarkControl: options.benchmarkControlPort !== undefined,
    workerRlimitNofile: options.workerRlimitNofile ?? 2 * options.workerConnections,
    webUpstream: options.webUpstream,
    serveStatic: options.webUpstream === undefined,
    redacted: REDACTED,
    agentServiceServers: agentServers(options.agentService),
    ...authDirectives(),
    ...gatewayAnswers(),
  };
}

/**
 * The `server` lines of the agent upstream. With several replicas none is ever marked down for
 * everyone (`max_fails=0`): a replica that refuses connections (restarting) is skipped request by
 * request, so in a rolling restart the one that is up always gets the traffic; nginx's default
 * (down for 10 s after one failure) left no live upstream once both had restarted in turn.
 */
function agentServers(list: string): string {
  const servers = list.split(',').map((server) => server.trim());
  if (servers.length === 1) return `server ${servers[0]};`;
  return servers.map((server) => `server ${server} max_fails=0;`).join('\n');
}

/**
 * The gateway's http-context part (upstreams, maps, log format, servers), for an existing nginx:
 * include it inside its `http {}` block, e.g. as /etc/nginx/conf.d/agentauth.conf.
 * @example renderGatewayConf({ staticRoot: '/srv/agentauth/web', logDir: '/var/log/nginx' })
 */
export function renderGatewayConf(input: GatewayInput): string {
  const values = templateValues(resolveGatewayOptions(input));
  return `${fillTemplate(loadTemplate('gateway'), values, loadTemplate).trimEnd()}\n`;
}

/**
 * A complete nginx.conf (main, events and http contexts) for an nginx that runs only the gateway:
 * `nginx -p <prefix> -c <prefix>/nginx.conf`.
 * @example renderNginxConf({ staticRoot: '/srv/agentauth/web', listen: '127.0.0.1:8080' })
 */
export function renderNginxConf(input: GatewayInput): string {
  const options = resolveGatewayOptions(input);
  const values = templateValues(options);
  const gateway = fillTemplate(loadTemplate('gateway'), values, loadTemplate).trimEnd();
  const main = fillTemplate(loadTemplate('nginx'), { ...values, gateway }, loadTemplate);
  return `${main.trimEnd()}\n`;
}

/**
 * A complete nginx.conf for the web image: only the built web app (no API routes), with the
 * gateway's security headers and caching, pid and temp files under `runDir`, logs on
 * stdout/stderr. `listen` is the container port (unprivileged, e.g. `8080`).
 * @example renderStaticSiteConf({ staticRoot: '/srv/agentauth/web', runDir: '/tmp', listen: '8080' })
 */
export function renderStaticSiteConf(input: GatewayInput): string {
  const values = templateValues(resolveGatewayOptions(input));
  return `${fillTemplate(loadTemplate('static-site'), values, loadTemplate).trimEnd()}\n`;
}
