#!/usr/bin/env bash
# Makes the screenshots in docs/ end to end: the shapes-world demo (a small model trained here and an indexed
# library; reused when already there), then the main window under Xvfb showing the grid, a text search, a
# classification, the map (UMAP, automatic clusters, the probe "red circle - red + blue") and the Train tab
# mid-run (a tiny model on the demo's shapes world, stopped after the picture) (bench_ui screenshots, see
# bench/bench_ui.cpp).
#
# usage: scripts/screenshots.sh [DEMO_DIR]    (default /tmp/lodestone-shots-demo)
# Environment: LODESTONE_BUILD_DIR (default build), LODESTONE_JOBS (default: nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${LODESTONE_BUILD_DIR:-build}
JOBS=${LODESTONE_JOBS:-$(nproc)}
DEMO=${1:-/tmp/lodestone-shots-demo}

# Xvfb and xvfb-run (Debian: xvfb, xauth), installed as scripts/setup.sh installs packages.
if ! command -v xvfb-run >/dev/null; then
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=()
    elif command -v sudo >/dev/null; then
        SUDO=(sudo)
    else
        echo "screenshots: need root or sudo to install xvfb and xauth" >&2
        exit 1
    fi
    echo "screenshots: installing xvfb xauth"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends xvfb xauth >/dev/null
fi

if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD_DIR" -j "$JOBS" --target lodestone-cli bench_ui

# The demo: 3000 training photos, 2 minutes of training on the CPU, 600 test photos indexed.
if [ ! -f "$DEMO/library/catalog.db" ] || [ ! -f "$DEMO/run/model/lodestone.json" ]; then
    "$BUILD_DIR/app/lodestone-cli" demo --out "$DEMO" --photos 3000 --minutes 2
fi

mkdir -p docs
xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$BUILD_DIR/bench/bench_ui" screenshots --library "$DEMO/library" --out docs --size 1280x800 \
    --search "a red circle" \
    --labels "a red shape;a green shape;a blue shape;a yellow shape;a purple shape;an orange shape" \
    --probe "red circle - red + blue" --world "$DEMO/world" --train-arch tiny --train-steps 60 --train-seconds 60
ls -l docs/screenshot-grid.png docs/screenshot-search.png docs/screenshot-classify.png docs/screenshot-map.png \
    docs/screenshot-train.png
