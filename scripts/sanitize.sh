#!/usr/bin/env bash
# The unit tests under AddressSanitizer + UndefinedBehaviorSanitizer, and the short runs of the libFuzzer
# targets (docs/fuzzing.md), in one clang build of the core, the command line and the tests
# (build-sanitize/ or $LODESTONE_SANITIZE_BUILD_DIR; no desktop program, no benchmarks). Any report of
# either sanitizer fails the test that caused it. Extra arguments go to ctest. scripts/test.sh runs it
# after the main suite; run scripts/setup.sh first when calling it alone.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${LODESTONE_SANITIZE_BUILD_DIR:-build-sanitize}
JOBS=${LODESTONE_JOBS:-$(nproc)}
CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DLODESTONE_SANITIZE=ON -DLODESTONE_FUZZ=ON -DLODESTONE_BUILD_GUI=OFF -DLODESTONE_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"

suppressions=$PWD/tests/sanitizers
# halt_on_error: a UBSan report fails the test instead of scrolling by. Leaks are checked in our code;
# the suppressions name only third-party libraries' one-time allocations (see the file).
export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:check_initialization_order=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$suppressions/lsan.supp:print_suppressions=0"
cd "$BUILD_DIR"
ctest --output-on-failure --timeout 1800 --parallel "$JOBS" -L "unit|fuzz" "$@"
