#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 120), two at a time, each on its own corpus that is kept between
# campaigns (started from the seeds in fuzz/corpus/), and prints a Markdown table of executions per second
# and executions. Each run's final libFuzzer statistics are appended to campaign.log, so the total over all
# campaigns can be summed from it. Crashes land in artifacts/<name>/ and fail the campaign.
#
#   fuzz/campaign.sh [SECONDS] [BUILD_DIR]        (BUILD_DIR: build-sanitize, as scripts/sanitize.sh makes it)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-120}
BUILD_DIR=${2:-build-sanitize}
WORK="$BUILD_DIR/fuzz/campaign"
# The targets built there (fuzz/CMakeLists.txt lists them): fuzz_<name> programs.
TARGETS=()
for program in "$BUILD_DIR"/fuzz/fuzz_*; do
    [ -x "$program" ] && TARGETS+=("${program##*/fuzz_}")
done
if [ ${#TARGETS[@]} -eq 0 ]; then
    echo "campaign: no fuzz targets in $BUILD_DIR/fuzz (build them first: scripts/sanitize.sh)" >&2
    exit 1
fi
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

run_one() {
    local name=$1
    mkdir -p "$WORK/corpus/$name" "$WORK/artifacts/$name"
    local flags=(-max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=60 -print_final_stats=1
                 -artifact_prefix="$WORK/artifacts/$name/")
    [ -f "fuzz/dict/$name.dict" ] && flags+=(-dict="fuzz/dict/$name.dict")
    # The kept corpus comes first: libFuzzer adds what it finds to the first folder, never to the seeds.
    "$BUILD_DIR/fuzz/fuzz_$name" "${flags[@]}" "$WORK/corpus/$name" "fuzz/corpus/$name" \
        >"$WORK/$name.out" 2>&1
}

mkdir -p "$WORK"
failed=()
for ((i = 0; i < ${#TARGETS[@]}; i += 2)); do
    pids=()
    for name in "${TARGETS[@]:i:2}"; do
        run_one "$name" &
        pids+=("$!:$name")
    done
    for entry in "${pids[@]}"; do
        wait "${entry%%:*}" || failed+=("${entry#*:}")
    done
done

echo "| target | seconds | exec/s | executions | corpus files |"
echo "|---|---:|---:|---:|---:|"
for name in "${TARGETS[@]}"; do
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$name.out" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$WORK/$name.out" | tail -1)
    files=$(find "$WORK/corpus/$name" -type f | wc -l)
    echo "| fuzz_$name | $SECONDS_EACH | ${rate:-?} | ${execs:-?} | $files |"
    echo "$(date -u +%FT%TZ) fuzz_$name seconds=$SECONDS_EACH exec_per_sec=${rate:-?} executions=${execs:-?}" \
        >>"$WORK/campaign.log"
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "campaign: a finding or an error in: ${failed[*]} (see $WORK/<name>.out and $WORK/artifacts/)" >&2
    exit 1
fi
