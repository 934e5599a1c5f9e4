#!/usr/bin/env bash
# Installs the Debian 12 packages Lodestone builds against. Idempotent; works as root or through sudo.
set -euo pipefail

PACKAGES=(
    build-essential cmake ninja-build pkg-config git
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev libxkbcommon-dev
    libopencv-dev fonts-dejavu-core            # OpenCV (its FreeType module comes with it) and the map PNG labels' font
    libtorch-dev libopenblas0-pthread          # Debian's LibTorch is CPU-only; OpenBLAS makes it 30x faster than reference BLAS
    libgloo-dev                                # the gloo headers c10d's ProcessGroupGloo needs (data-parallel training)
    libhnswlib-dev libsqlite3-dev nlohmann-json3-dev libcli11-dev libutf8proc-dev libarchive-dev zlib1g-dev
    libxxhash-dev libgif-dev
    xvfb xauth                                 # a virtual X display: the OpenGL map test and scripts/screenshots.sh
    clang-format
    clang libclang-rt-14-dev                   # the sanitizer and libFuzzer build (scripts/sanitize.sh): clang's runtimes
)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all packages present"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null; then
    SUDO=(sudo)
else
    echo "setup: need root or sudo to install: ${missing[*]}" >&2
    exit 1
fi
echo "setup: installing ${missing[*]}"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
