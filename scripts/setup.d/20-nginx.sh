# nginx for the single-node gateway (pnpm start) and its tests: Debian's package, which carries the
# auth_request module. Quick when present. Debian installs it in /usr/sbin, which may not be on a
# regular user's PATH; the gateway code looks there too (or set NGINX_BIN).
nginx_found() {
  if [ -n "${NGINX_BIN:-}" ] && [ -x "${NGINX_BIN}" ]; then
    echo "$NGINX_BIN"
  elif command -v nginx >/dev/null; then
    command -v nginx
  elif [ -x /usr/sbin/nginx ]; then
    echo /usr/sbin/nginx
  fi
}

nginx_bin="$(nginx_found)"
if [ -z "$nginx_bin" ]; then
  apt_install nginx
  nginx_bin="$(nginx_found)"
fi
if [ -z "$nginx_bin" ]; then
  echo "setup nginx: nginx is still not installed" >&2
  return 1
fi
if ! "$nginx_bin" -V 2>&1 | grep -q -- '--with-http_auth_request_module'; then
  echo "setup nginx: $nginx_bin has no auth_request module; install Debian's nginx package" >&2
  return 1
fi
echo "setup nginx: $("$nginx_bin" -v 2>&1) at $nginx_bin"
unset -f nginx_found
unset nginx_bin
