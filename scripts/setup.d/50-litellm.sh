# The LiteLLM proxy (PyPI `litellm[proxy]`, the provider gateway the platform runs) for the
# agent-service's LiteLLM integration suite, in its own virtual environment under the tool folder:
#   $AGENTAUTH_TOOLS/litellm/bin/litellm
# Pinned (1.107.0 was a compromised release; this pin predates it). Quick when the stamp matches.
litellm_main() {
  local version=1.106.12
  local venv="$AGENTAUTH_TOOLS/litellm"
  local stamp="$AGENTAUTH_TOOLS/stamps/litellm"
  local log="$AGENTAUTH_TOOLS/logs/litellm.log"
  mkdir -p "$AGENTAUTH_TOOLS/stamps" "$AGENTAUTH_TOOLS/logs"
  if [ -x "$venv/bin/litellm" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
    echo "setup litellm: litellm $version at $venv/bin/litellm"
    return 0
  fi
  local python=""
  for candidate in python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import venv, ensurepip' 2>/dev/null; then
      python="$(command -v "$candidate")"
      break
    fi
  done
  if [ -z "$python" ]; then
    apt_install python3 python3-venv
    python="$(command -v python3)"
  fi
  echo "setup litellm: installing litellm[proxy]==$version into $venv"
  rm -rf "$venv"
  if ! { "$python" -m venv "$venv" &&
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      "litellm[proxy]==$version"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "setup litellm: installing litellm failed (full log: $log)" >&2
    return 1
  fi
  echo "$version" >"$stamp"
  echo "setup litellm: litellm $version at $venv/bin/litellm"
}

litellm_main
unset -f litellm_main
