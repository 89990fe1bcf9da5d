# Container images (pnpm images, packages/images tests): podman and buildah to build and run them,
# mmdebstrap to make the local Debian 13 base images (no container registry is needed), runc
# (the default runtime fails on setrlimit on these machines), uidmap, and the CNI plugins for
# `podman run -p`. Debian's packages; quick when present.
images_packages=()
for tool in podman:podman buildah:buildah mmdebstrap:mmdebstrap runc:runc newuidmap:uidmap; do
  command -v "${tool%%:*}" >/dev/null || [ -x "/usr/sbin/${tool%%:*}" ] || images_packages+=("${tool#*:}")
done
dpkg -s containernetworking-plugins >/dev/null 2>&1 || images_packages+=(containernetworking-plugins)
# mmdebstrap checks Debian's release signatures (Ubuntu machines lack Debian's keyring).
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || images_packages+=(debian-archive-keyring)
if [ "${#images_packages[@]}" -gt 0 ]; then
  apt_install "${images_packages[@]}"
fi
unset images_packages tool
echo "setup images: $(podman --version), $(buildah --version | cut -d' ' -f1-3), mmdebstrap $(mmdebstrap --version | cut -d' ' -f2)"
