# Node toolchain: pnpm 10 (via npm; corepack downloads are not reachable here) and the workspace deps.
if ! command -v pnpm >/dev/null || ! pnpm --version | grep -q '^10\.'; then
  npm install -g pnpm@10.34.9 >/dev/null
fi
(cd "$AGENTAUTH_ROOT" && pnpm install --frozen-lockfile --reporter=append-only)
