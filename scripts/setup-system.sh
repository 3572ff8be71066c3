#!/usr/bin/env bash
# Debian packages the project uses, installed when missing (needs root; skipped otherwise):
# - libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri: Dawn's OpenGL ES software adapter (WebGPU in Node, no GPU needed)
# - chromium mesa-vulkan-drivers: headless browser end-to-end test of apps/web on WebGPU
# - gcc make libopenblas-dev: the optional native BLAS matmul addon (@wpo/blas); everything falls back without it
# - python3-torch libopenblas0-pthread: the PyTorch reference (tools/reference) and the training benchmark
# `--main` installs only what the main job (`pnpm wpo train`) needs for its advertised speed: gcc make libopenblas-dev.
set -euo pipefail
PACKAGES=(gcc make libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri chromium mesa-vulkan-drivers libopenblas-dev
  libopenblas0-pthread python3-torch)
if [ "${1:-}" = "--main" ]; then PACKAGES=(gcc make libopenblas-dev); fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: missing Debian packages: ${missing[*]} (install them as root; continuing without)" >&2
  exit 0
fi
echo "setup-system: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
