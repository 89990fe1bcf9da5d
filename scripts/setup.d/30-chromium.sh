# Chromium for the web app's browser end-to-end tests: Debian's package, driven by playwright-core
# through CHROMIUM_BIN (default /usr/bin/chromium). Playwright's own browser download is never used.
if [ -n "${CHROMIUM_BIN:-}" ] && [ -x "${CHROMIUM_BIN}" ]; then
  :
elif command -v chromium >/dev/null; then
  :
else
  apt_install chromium fonts-dejavu-core
fi
