# PostgreSQL server for the agent-service's PostgreSQL store tests, the two-replica e2e and the
# bench: Debian's package (initdb, postgres under /usr/lib/postgresql/N/bin, and the `postgres`
# account the tests run the server as when they run as root). Each test run starts its own
# throw-away cluster; the package's own cluster is not used. Quick when present.
pg_bin_found() {
  if [ -n "${POSTGRES_BIN_DIR:-}" ] && [ -x "${POSTGRES_BIN_DIR}/initdb" ]; then
    echo "$POSTGRES_BIN_DIR"
    return
  fi
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ]; then
      echo "$dir"
      return
    fi
  done
}

pg_bin="$(pg_bin_found)"
if [ -z "$pg_bin" ] || ! id postgres >/dev/null 2>&1; then
  apt_install postgresql
  pg_bin="$(pg_bin_found)"
fi
if [ -z "$pg_bin" ]; then
  echo "setup postgresql: initdb/postgres are still not installed" >&2
  return 1
fi
echo "setup postgresql: $("$pg_bin/postgres" --version) at $pg_bin"
unset -f pg_bin_found
unset pg_bin
