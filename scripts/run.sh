#!/usr/bin/env bash
# The main job: set-up, build, then the embedded default, the demo: a synthetic captioned world, a small dual
# encoder trained here from scratch, the test photos indexed into a library, classified by typed labels,
# searched and probed.
#  - With a display (DISPLAY or WAYLAND_DISPLAY set): the desktop program's first-run demo
#    (`lodestone --demo`), with the training curve, the grid, the labels and the map to try.
#  - Without one (or with LODESTONE_HEADLESS=1): `lodestone-cli demo`, printing each step. Extra arguments go
#    to it (`--minutes 4 --photos 8000 --out DIR`); run again, it reuses what is in lodestone-demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
BUILD_DIR=${LODESTONE_BUILD_DIR:-build}
if [ -z "${LODESTONE_HEADLESS:-}" ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$BUILD_DIR/app/lodestone" ]; then
    exec "$BUILD_DIR/app/lodestone" --demo
fi
exec "$BUILD_DIR/app/lodestone-cli" demo "$@"
