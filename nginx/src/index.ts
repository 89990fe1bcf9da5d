export { authDirectives, identityVariable, upstreamHeaderVariable } from './auth-directives.js';
export { findNginx, NGINX_INSTALL_HINT, NginxNotFoundError } from './find-nginx.js';
export {
  GATEWAY_DEFAULTS,
  type GatewayInput,
  type GatewayOptions,
  GatewayOptionsError,
  gatewayOptionsSchema,
  resolveGatewayOptions,
} from './gateway-options.js';
export { writePlaceholderSite } from './placeholder-site.js';
export {
  renderGatewayConf,
  renderNginxConf,
  renderStaticSiteConf,
  TEMPLATES_DIR,
} from './render.js';
export { type NginxLaunch, type RunningNginx, startNginx } from './start-nginx.js';
export { fillTemplate, TemplateError, type TemplateValues } from './template.js';
