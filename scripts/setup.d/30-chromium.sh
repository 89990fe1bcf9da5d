# Chromium for the web app's browser end-to-end tests: Debian's package, driven by playwright-core
# (CHROMIUM_BIN overrides /usr/bin/chromium). Playwright's own browser download is never used.
# DejaVu fonts so that screenshots show text (Chromium itself only pulls in fontconfig).
chromium_packages=()
if ! { [ -n "${CHROMIUM_BIN:-}" ] && [ -x "${CHROMIUM_BIN}" ]; } && ! command -v chromium >/dev/null; then
  chromium_packages+=(chromium)
fi
if ! dpkg -s fonts-dejavu-core >/dev/null 2>&1; then
  chromium_packages+=(fonts-dejavu-core)
fi
if [ "${#chromium_packages[@]}" -gt 0 ]; then
  apt_install "${chromium_packages[@]}"
fi
unset chromium_packages
