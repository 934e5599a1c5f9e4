#!/usr/bin/env bash
# Builds Lodestone and makes the Debian package with CPack; prints the .deb's path on the last line.
# Build folder: build/ (or $LODESTONE_BUILD_DIR), configured here when it is not yet. Needs dpkg-shlibdeps
# (dpkg-dev, part of build-essential) to compute the package's Depends.
# Check:  apt install ./build/lodestone_*.deb && lodestone --version && lodestone-cli --version
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${LODESTONE_BUILD_DIR:-build}
JOBS=${LODESTONE_JOBS:-$(nproc)}
command -v dpkg-shlibdeps >/dev/null || { echo "package: dpkg-shlibdeps not found (apt-get install dpkg-dev)" >&2; exit 1; }
[ -f "$BUILD_DIR/CMakeCache.txt" ] || cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
rm -f "$BUILD_DIR"/lodestone_*.deb
(cd "$BUILD_DIR" && cpack -G DEB)
deb=$(ls "$BUILD_DIR"/lodestone_*.deb)
echo "$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")"
