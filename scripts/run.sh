#!/usr/bin/env bash
# The main job: set-up, build, then the embedded default, `lodestone-cli demo`: a synthetic captioned world,
# a small dual encoder trained here from scratch, the test photos indexed into a library, classified by
# typed labels, searched and probed. Extra arguments go to the demo (`--minutes 4 --photos 8000 --out DIR`).
# Running it again reuses what is already in the output folder (lodestone-demo/ by default).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec "${LODESTONE_BUILD_DIR:-build}"/app/lodestone-cli demo "$@"
