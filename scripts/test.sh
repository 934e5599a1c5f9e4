#!/usr/bin/env bash
# Set-up, build and the whole test suite: the tests in build/, then the sanitizer suite (scripts/sanitize.sh:
# the unit tests under ASan + UBSan and the short fuzz runs, in build-sanitize/). Extra arguments go to the
# first ctest only and skip the sanitizer suite, e.g. `-L unit` or `-LE slow`; LODESTONE_SANITIZE_TESTS=0
# skips it too. Both suites run even when the first fails; the exit status says whether either failed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
status=0
(cd "${LODESTONE_BUILD_DIR:-build}" && ctest --output-on-failure --timeout 900 "$@") || status=$?
if [ $# -eq 0 ] && [ "${LODESTONE_SANITIZE_TESTS:-1}" != 0 ]; then
    scripts/sanitize.sh || status=$?
fi
exit $status
