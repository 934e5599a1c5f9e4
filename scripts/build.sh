#!/usr/bin/env bash
# Configures and builds Lodestone into build/ (or $LODESTONE_BUILD_DIR). Extra arguments go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${LODESTONE_BUILD_DIR:-build}
JOBS=${LODESTONE_JOBS:-$(nproc)}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
