#!/usr/bin/env bash
# Set-up, build and the whole test suite. Extra arguments go to ctest, e.g. `-L unit` or `-LE slow`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
cd "${LODESTONE_BUILD_DIR:-build}"
ctest --output-on-failure --timeout 900 "$@"
