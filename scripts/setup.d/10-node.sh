# Node toolchain: pnpm 10 (via npm; corepack downloads are not reachable here) and the workspace deps.
if ! command -v pnpm >/dev/null || ! pnpm --version | grep -q '^10\.'; then
  npm install -g pnpm@10.34.9 >/dev/null
fi
# better-sqlite3 compiles from source when its prebuilt binary cannot be downloaded: that needs a
# C++ toolchain, python3 and the Node headers. Use the headers Debian/the image ship instead of
# letting node-gyp download them.
if ! command -v g++ >/dev/null || ! command -v make >/dev/null || ! command -v python3 >/dev/null; then
  apt_install g++ make python3
fi
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
(cd "$AGENTAUTH_ROOT" && pnpm install --frozen-lockfile --reporter=append-only)
