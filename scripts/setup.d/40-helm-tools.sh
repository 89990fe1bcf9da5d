# Chart test tools, built from Go modules at pinned versions (no plugin manager, no binary downloads):
#   helm, the helm-unittest CLI, kubeconform, egctl (Envoy Gateway's offline translator),
# plus the JSON schemas kubeconform validates against, generated offline into .tools/share:
#   Kubernetes kinds from the kubernetes-validate wheel (PyPI), Gateway API and Envoy Gateway
#   kinds from the CRDs inside the Envoy Gateway Go module, the ServiceMonitor kind from the CRD
#   inside the prometheus-operator Go module.
# Sourced by scripts/setup with AGENTAUTH_ROOT and AGENTAUTH_TOOLS set. Quick when up to date:
# each tool is rebuilt only when its stamp (the pinned version) differs.

helm_tools_main() {
  local helm_version=v3.22.0
  # v1.1.2's go.mod carries a replace directive, so `go install pkg@version` refuses it: it is built
  # from the module source, where the replace applies.
  local unittest_version=v1.1.2
  local kubeconform_version=v0.8.0
  local envoy_gateway_version=v1.9.1
  local prometheus_operator_version=v0.85.0
  local kubernetes_validate_version=1.37.0
  # Oldest and newest Kubernetes the chart is validated against (Chart.yaml kubeVersion: >=1.29).
  local kube_versions="1.29.0 1.37.0"

  local bin="$AGENTAUTH_TOOLS/bin"
  local stamps="$AGENTAUTH_TOOLS/stamps"
  local logs="$AGENTAUTH_TOOLS/logs"
  mkdir -p "$bin" "$stamps" "$logs"

  local go=""
  if command -v go >/dev/null; then
    go="$(command -v go)"
  elif [ -x /usr/local/go/bin/go ]; then
    go=/usr/local/go/bin/go
  else
    echo "setup helm-tools: Go is required (go 1.26+ on PATH or in /usr/local/go)" >&2
    return 1
  fi

  # Whether $1 is installed at version $2.
  fresh() { [ -x "$bin/$1" ] && [ "$(cat "$stamps/$1" 2>/dev/null)" = "$2" ]; }
  # Runs a build quietly; on failure shows the end of its log.
  build() {
    local name="$1"
    shift
    echo "setup helm-tools: building $name"
    if ! "$@" >"$logs/$name.log" 2>&1; then
      tail -n 30 "$logs/$name.log" >&2
      echo "setup helm-tools: building $name failed (full log: $logs/$name.log)" >&2
      return 1
    fi
  }
  # Minor version of k8s.io/client-go a module builds with, for helm's default .Capabilities.
  k8s_minor() { sed -n 's/^[[:space:]]*k8s\.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$1" | head -n 1; }
  mod_dir() { "$go" mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'; }
  # go with the install target and flags set for this part only.
  local gocmd=(env GOBIN="$bin" GOFLAGS=-buildvcs=false "$go")

  if ! fresh helm "$helm_version"; then
    local helm_src minor
    helm_src="$(mod_dir "helm.sh/helm/v3@$helm_version")"
    minor="$(k8s_minor "$helm_src/go.mod")"
    local ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$helm_version"
    ldflags+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor"
    ldflags+=" -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor"
    build helm "${gocmd[@]}" install -trimpath -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$helm_version" || return 1
    echo "$helm_version" >"$stamps/helm"
  fi

  if ! fresh helm-unittest "$unittest_version"; then
    local src work minor
    src="$(mod_dir "github.com/helm-unittest/helm-unittest@$unittest_version")"
    work="$(mktemp -d)"
    cp -r "$src/." "$work/"
    chmod -R u+w "$work"
    minor="$(k8s_minor "$work/go.mod")"
    local ldflags="-s -w -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor"
    build helm-unittest bash -c 'cd "$1" && GOFLAGS=-buildvcs=false "$2" build -trimpath -ldflags "$3" -o "$4" ./cmd/helm-unittest' \
      _ "$work" "$go" "$ldflags" "$bin/helm-unittest" || {
      rm -rf "$work"
      return 1
    }
    rm -rf "$work"
    echo "$unittest_version" >"$stamps/helm-unittest"
  fi

  if ! fresh kubeconform "$kubeconform_version"; then
    build kubeconform "${gocmd[@]}" install -trimpath -ldflags "-s -w" \
      "github.com/yannh/kubeconform/cmd/kubeconform@$kubeconform_version" || return 1
    echo "$kubeconform_version" >"$stamps/kubeconform"
  fi

  if ! fresh egctl "$envoy_gateway_version"; then
    build egctl "${gocmd[@]}" install -trimpath -ldflags "-s -w" \
      "github.com/envoyproxy/gateway/cmd/egctl@$envoy_gateway_version" || return 1
    echo "$envoy_gateway_version" >"$stamps/egctl"
  fi

  # Schemas: regenerated when a source version or the generator changes.
  local generator="$AGENTAUTH_ROOT/charts/agentauth/scripts/build-kube-schemas.mjs"
  local schemas="$AGENTAUTH_TOOLS/share/kube-schemas"
  local want
  want="k8s=$kubernetes_validate_version:${kube_versions// /,} eg=$envoy_gateway_version po=$prometheus_operator_version gen=$(sha256sum "$generator" | cut -c1-16)"
  if [ "$(cat "$stamps/kube-schemas" 2>/dev/null)" != "$want" ] || [ ! -d "$schemas" ]; then
    echo "setup helm-tools: generating kubeconform schemas"
    if [ ! -d "$AGENTAUTH_ROOT/charts/agentauth/node_modules/yaml" ]; then
      echo "setup helm-tools: the chart's node modules are missing; run 'bash scripts/setup node' first" >&2
      return 1
    fi
    if ! command -v python3 >/dev/null || ! python3 -m pip --version >/dev/null 2>&1; then
      apt_install python3 python3-pip || return 1
    fi
    local tmp
    tmp="$(mktemp -d)"
    if ! python3 -m pip download --quiet --no-deps --only-binary=:all: \
      "kubernetes-validate==$kubernetes_validate_version" -d "$tmp" >"$logs/kube-schemas.log" 2>&1; then
      cat "$logs/kube-schemas.log" >&2
      rm -rf "$tmp"
      return 1
    fi
    # Only the needed Kubernetes versions leave the 100 MB wheel.
    local v pattern=""
    for v in $kube_versions; do pattern+="v$v-local-strict|"; done
    python3 - "$tmp"/kubernetes_validate-*.whl "$tmp/k8s" "${pattern%|}" <<'PY' || { rm -rf "$tmp"; return 1; }
import re, sys, zipfile
wheel, out, pattern = sys.argv[1:4]
keep = re.compile(r"kubernetes_validate/kubernetes-json-schema/(%s)/" % pattern)
with zipfile.ZipFile(wheel) as z:
    z.extractall(out, [n for n in z.namelist() if keep.match(n)])
PY
    local eg_src crds
    eg_src="$(mod_dir "github.com/envoyproxy/gateway@$envoy_gateway_version")/charts/gateway-crds-helm/templates"
    local args=(--out "$tmp/out" --crds "$eg_src/standard-gatewayapi-crds.yaml")
    for crds in "$eg_src"/generated/*.yaml; do args+=(--crds "$crds"); done
    local po_src
    po_src="$(mod_dir "github.com/prometheus-operator/prometheus-operator@$prometheus_operator_version")"
    args+=(--crds "$po_src/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml")
    for v in $kube_versions; do
      args+=(--k8s-json "$tmp/k8s/kubernetes_validate/kubernetes-json-schema/v$v-local-strict:$v")
    done
    if ! node "$generator" "${args[@]}" 2>>"$logs/kube-schemas.log"; then
      cat "$logs/kube-schemas.log" >&2
      rm -rf "$tmp"
      return 1
    fi
    rm -rf "$schemas"
    mkdir -p "$(dirname "$schemas")"
    mv "$tmp/out" "$schemas"
    rm -rf "$tmp"
    echo "$want" >"$stamps/kube-schemas"
  fi

  echo "setup helm-tools: helm $helm_version, helm-unittest $unittest_version, kubeconform $kubeconform_version, egctl $envoy_gateway_version, schemas for Kubernetes $kube_versions"
}

helm_tools_main
_helm_tools_status=$?
unset -f helm_tools_main fresh build k8s_minor mod_dir
[ "$_helm_tools_status" -eq 0 ] || return "$_helm_tools_status"
unset _helm_tools_status
