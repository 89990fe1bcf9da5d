{{/*
Names. Every resource is prefixed with the release name (or fullnameOverride), so the agent route
is "<release>-agent-service-route" as the platform's docs and the SecurityPolicy expect.
*/}}
{{- define "agentauth.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "agentauth.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- end }}

{{- define "agentauth.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "agentauth.accessControlService.fullname" -}}
{{- printf "%s-access-control-service" (include "agentauth.fullname" .) }}
{{- end }}

{{- define "agentauth.agentService.fullname" -}}
{{- printf "%s-agent-service" (include "agentauth.fullname" .) }}
{{- end }}

{{/* "true" when the agent-service runs on PostgreSQL (several replicas), else "false". */}}
{{- define "agentauth.agentService.postgresql" -}}
{{- eq (default "sqlite" .Values.agentService.database.type) "postgresql" -}}
{{- end -}}

{{- define "agentauth.web.fullname" -}}
{{- printf "%s-web" (include "agentauth.fullname" .) }}
{{- end }}

{{- define "agentauth.agentService.routeName" -}}
{{- printf "%s-agent-service-route" (include "agentauth.fullname" .) }}
{{- end }}

{{- define "agentauth.web.routeName" -}}
{{- printf "%s-web-route" (include "agentauth.fullname" .) }}
{{- end }}

{{- define "agentauth.agentService.policyName" -}}
{{- printf "%s-agent-service-ext-auth" (include "agentauth.fullname" .) }}
{{- end }}

{{- define "agentauth.envoyProxy.name" -}}
{{- printf "%s-envoy-proxy" (include "agentauth.fullname" .) }}
{{- end }}

{{/*
The EnvoyProxy is rendered when the chart creates the Gateway (and attaches it there), or on
request for an existing Gateway (envoyProxy.renderForExistingGateway).
*/}}
{{- define "agentauth.envoyProxy.rendered" -}}
{{- if or (and .Values.gateway.create .Values.envoyProxy.enabled) .Values.envoyProxy.renderForExistingGateway }}true{{ end }}
{{- end }}

{{- define "agentauth.gateway.name" -}}
{{- required "gateway.name is required: the Gateway the routes attach to" .Values.gateway.name }}
{{- end }}

{{/*
Namespace of the Gateway: the release namespace for a created one (gateway.create), otherwise
gateway.namespace, empty meaning the release namespace.
*/}}
{{- define "agentauth.gateway.namespace" -}}
{{- if .Values.gateway.create }}{{ .Release.Namespace }}{{ else }}{{ default .Release.Namespace .Values.gateway.namespace }}{{ end }}
{{- end }}

{{/*
Labels. Call with (dict "ctx" $ "component" "agent-service").
*/}}
{{- define "agentauth.selectorLabels" -}}
app.kubernetes.io/name: {{ include "agentauth.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "agentauth.labels" -}}
helm.sh/chart: {{ include "agentauth.chart" .ctx }}
{{ include "agentauth.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: agentauth
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
{{- end }}

{{/*
Image reference: <imageRegistry>/<repository>:<tag>; the tag defaults to the chart's appVersion so
chart and services move together (pnpm images tags every image with the release version).
Call with (dict "ctx" $ "image" .Values.agentService.image).
*/}}
{{- define "agentauth.image" -}}
{{- $tag := default .ctx.Chart.AppVersion .image.tag -}}
{{- $repository := .image.repository -}}
{{- with .ctx.Values.imageRegistry -}}
{{- $repository = printf "%s/%s" (trimSuffix "/" .) $repository -}}
{{- end -}}
{{- if .image.digest -}}
{{- printf "%s@%s" $repository .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository $tag -}}
{{- end -}}
{{- end }}

{{/*
The identity headers the access-control-service answers with and Envoy copies to the backend.
The chart test checks this list against IDENTITY_HEADERS exported by @agentauth/auth-core.
*/}}
{{- define "agentauth.identityHeaders" -}}
- x-user-id
- x-user-name
- x-user-email
{{- end }}

{{/*
JWT secret: name and key of the Secret holding AUTH_JWT_SECRET. Rendering stops when neither an
existing Secret nor a value is given, or when the value is one the services refuse to start with.
*/}}
{{- define "agentauth.jwtSecret.name" -}}
{{- if .Values.auth.jwtSecret.existingSecret -}}
{{- .Values.auth.jwtSecret.existingSecret -}}
{{- else -}}
{{- printf "%s-jwt" (include "agentauth.fullname" .) -}}
{{- end -}}
{{- end }}

{{- define "agentauth.jwtSecret.key" -}}
{{- if .Values.auth.jwtSecret.existingSecret -}}
{{- .Values.auth.jwtSecret.existingSecretKey -}}
{{- else -}}
AUTH_JWT_SECRET
{{- end -}}
{{- end }}

{{- define "agentauth.jwtSecret.validate" -}}
{{- $s := .Values.auth.jwtSecret -}}
{{- if and $s.existingSecret $s.value -}}
{{- fail "auth.jwtSecret: set either existingSecret or value, not both" -}}
{{- end -}}
{{- if not $s.existingSecret -}}
{{- if not $s.value -}}
{{- fail "auth.jwtSecret: no JWT secret given; set auth.jwtSecret.existingSecret to a Secret holding AUTH_JWT_SECRET, or auth.jwtSecret.value to a random string of at least 32 characters" -}}
{{- end -}}
{{- $lower := lower $s.value -}}
{{- if eq $lower "8a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d" -}}
{{- fail "auth.jwtSecret.value is the platform's public default secret; anyone could mint tokens with it. Generate a random secret of at least 32 characters (e.g. openssl rand -hex 32)" -}}
{{- end -}}
{{- if eq $lower "random" -}}
{{- fail "auth.jwtSecret.value is \"random\": every pod would pick its own secret and reject the others' tokens. Generate one random secret of at least 32 characters and share it" -}}
{{- end -}}
{{- /* Java and JavaScript lower-case some letters differently: the services refuse these. */ -}}
{{- if regexMatch "[^\\x00-\\x7F]" $s.value -}}
{{- fail "auth.jwtSecret.value contains non-ASCII characters, which the platform's issuer may lower-case into a different key; generate an ASCII secret of at least 32 characters (e.g. openssl rand -hex 32)" -}}
{{- end -}}
{{- /* Count characters, not bytes, as the services do. */ -}}
{{- if lt (len (regexFindAll "(?s)." $s.value -1)) 32 -}}
{{- fail "auth.jwtSecret.value is shorter than 32 characters; generate a random secret of at least 32 characters (e.g. openssl rand -hex 32)" -}}
{{- end -}}
{{- end -}}
{{- end }}

{{/*
LLM API key: the same pattern; required when the agent-service is deployed.
*/}}
{{- define "agentauth.llmApiKey.name" -}}
{{- if .Values.agentService.llm.apiKey.existingSecret -}}
{{- .Values.agentService.llm.apiKey.existingSecret -}}
{{- else -}}
{{- printf "%s-llm" (include "agentauth.fullname" .) -}}
{{- end -}}
{{- end }}

{{- define "agentauth.llmApiKey.key" -}}
{{- if .Values.agentService.llm.apiKey.existingSecret -}}
{{- .Values.agentService.llm.apiKey.existingSecretKey -}}
{{- else -}}
LLM_API_KEY
{{- end -}}
{{- end }}

{{- define "agentauth.llmApiKey.validate" -}}
{{- $k := .Values.agentService.llm.apiKey -}}
{{- if and $k.existingSecret $k.value -}}
{{- fail "agentService.llm.apiKey: set either existingSecret or value, not both" -}}
{{- end -}}
{{- if and (not $k.existingSecret) (not $k.value) -}}
{{- fail "agentService.llm.apiKey: no LLM API key given; set agentService.llm.apiKey.existingSecret to a Secret holding LLM_API_KEY, or agentService.llm.apiKey.value" -}}
{{- end -}}
{{- end }}

{{/*
The Gateway parentRef shared by every route.
*/}}
{{- define "agentauth.parentRefs" -}}
- group: gateway.networking.k8s.io
  kind: Gateway
  name: {{ include "agentauth.gateway.name" . }}
  {{- if and .Values.gateway.namespace (not .Values.gateway.create) }}
  namespace: {{ .Values.gateway.namespace }}
  {{- end }}
  {{- with .Values.gateway.sectionName }}
  sectionName: {{ . }}
  {{- end }}
{{- end }}

{{/*
Pod-level settings every component shares. Call with (dict "ctx" $ "component" .Values.web).
*/}}
{{- define "agentauth.podCommon" -}}
automountServiceAccountToken: {{ .ctx.Values.serviceAccount.automountServiceAccountToken }}
{{- with include "agentauth.serviceAccountName" .ctx }}
serviceAccountName: {{ . }}
{{- end }}
enableServiceLinks: false
{{- if not (kindIs "invalid" .component.terminationGracePeriodSeconds) }}
terminationGracePeriodSeconds: {{ .component.terminationGracePeriodSeconds | int64 }}
{{- end }}
{{- with .ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .component.podSecurityContext | nindent 2 }}
{{- with .component.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end }}
