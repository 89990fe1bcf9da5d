{{/*
The operator surface every component shares: pod labels and annotations, extra env/envFrom,
extra volumes, the startupProbe, the ServiceAccount. Calls take
(dict "ctx" $ "component" "agent-service" "values" .Values.agentService).
*/}}

{{/*
Pod template labels: the user's podLabels under the chart's labels (the chart's win on a clash,
so a podLabels entry can never move a pod out of its Deployment's selector).
*/}}
{{- define "agentauth.podLabels" -}}
{{- $own := include "agentauth.labels" (dict "ctx" .ctx "component" .component) | fromYaml -}}
{{- toYaml (merge $own (deepCopy (.values.podLabels | default dict))) -}}
{{- end }}

{{/*
Pod template annotations: podAnnotations, plus the Prometheus scrape annotations when
"scrapePort" is set, plus "checksum/secrets": a sha256 over the values of the Secrets the chart
creates for this pod ("secrets": a list of values, empty for an existing Secret), so that a
changed secret value rolls the pods. Prints nothing when there is no annotation.
Call with (dict "values" $c "release" (include "agentauth.releaseId" .) "scrapePort" 9464
"secrets" (list (include "agentauth.jwtSecret.created" .))).
*/}}
{{- define "agentauth.podAnnotations" -}}
{{- $annotations := deepCopy (.values.podAnnotations | default dict) -}}
{{- with .scrapePort -}}
{{- $_ := set $annotations "prometheus.io/scrape" "true" -}}
{{- $_ := set $annotations "prometheus.io/port" (toString (int64 .)) -}}
{{- $_ := set $annotations "prometheus.io/path" "/metrics" -}}
{{- end -}}
{{- if compact .secrets -}}
{{- /* Salted with the release, so equal secrets of two releases do not show as equal hashes. */ -}}
{{- $_ := set $annotations "checksum/secrets" (sha256sum (toJson (prepend .secrets .release))) -}}
{{- end -}}
{{- with $annotations -}}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end -}}
{{- end }}

{{- define "agentauth.releaseId" -}}
{{- printf "%s/%s" .Release.Namespace .Release.Name -}}
{{- end }}

{{/*
The value of a Secret the chart creates, or "" when the pods read an existing Secret (whose
changes the chart cannot see).
*/}}
{{- define "agentauth.jwtSecret.created" -}}
{{- if not .Values.auth.jwtSecret.existingSecret }}{{ .Values.auth.jwtSecret.value }}{{ end -}}
{{- end }}

{{- define "agentauth.llmApiKey.created" -}}
{{- if not .Values.agentService.llm.apiKey.existingSecret }}{{ .Values.agentService.llm.apiKey.value }}{{ end -}}
{{- end }}

{{/*
Variables the chart sets itself (or that switch a security check off) cannot come from extraEnv:
Kubernetes lets the last duplicate win, which would silently replace the Secret reference.
Call with (dict "values" $c "component" "agentService" "reserved" (list "PORT" …)).
*/}}
{{- define "agentauth.extraEnv" -}}
{{- $reserved := concat .reserved (list "AUTH_JWT_SECRET" "AUTH_CONF_PATH" "AGENTAUTH_INSECURE_DEV_SECRET") -}}
{{- range .values.extraEnv -}}
{{- if has .name $reserved -}}
{{- fail (printf "%s.extraEnv: %s is set by the chart (or disables a security check) and cannot be overridden; use the chart's own value for it" $.component .name) -}}
{{- end -}}
{{- end -}}
{{- with .values.extraEnv -}}
{{- toYaml . -}}
{{- end -}}
{{- end }}

{{/*
envFrom, extra volume mounts, the startupProbe: container-level blocks, each printed only when
set. Call with the component's values.
*/}}
{{- define "agentauth.envFrom" -}}
{{- with .envFrom -}}
envFrom:
  {{- toYaml . | nindent 2 }}
{{- end -}}
{{- end }}

{{- define "agentauth.startupProbe" -}}
{{- if .values.startupProbe.enabled -}}
startupProbe:
  httpGet:
    path: {{ .path }}
    port: http
  {{- toYaml (omit .values.startupProbe "enabled") | nindent 2 }}
{{- end -}}
{{- end }}

{{/*
The ServiceAccount the pods run as: serviceAccount.name, else the release's name when the chart
creates one; empty = the namespace's default account (serviceAccountName is then left out).
*/}}
{{- define "agentauth.serviceAccountName" -}}
{{- if .Values.serviceAccount.name -}}
{{- .Values.serviceAccount.name -}}
{{- else if .Values.serviceAccount.create -}}
{{- include "agentauth.fullname" . -}}
{{- end -}}
{{- end }}

{{/*
The Envoy proxy pods of the Gateway the routes attach to (Envoy Gateway's labels), for the
NetworkPolicies' ingress rules.
*/}}
{{- define "agentauth.gatewayPeer" -}}
- namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ .Values.networkPolicy.gateway.namespace }}
  podSelector:
    matchLabels:
      {{- if .Values.networkPolicy.gateway.podLabels }}
      {{- toYaml .Values.networkPolicy.gateway.podLabels | nindent 6 }}
      {{- else }}
      app.kubernetes.io/managed-by: envoy-gateway
      app.kubernetes.io/component: proxy
      gateway.envoyproxy.io/owning-gateway-name: {{ include "agentauth.gateway.name" . }}
      gateway.envoyproxy.io/owning-gateway-namespace: {{ include "agentauth.gateway.namespace" . }}
      {{- end }}
{{- end }}
