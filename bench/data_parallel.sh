#!/usr/bin/env bash
# Data-parallel training throughput (issue 4): the same run with 1 and 2 Gloo processes on this machine.
#   bench/data_parallel.sh [STEPS=30] [WORK=/tmp/lodestone-dp-bench]
# Prints one JSON line per process count (samples/s over the whole run, as lodestone-cli train reports it)
# and the model's parameter bytes (model.safetensors) for the communication volume in bench/README.md.
set -euo pipefail
STEPS=${1:-30}
WORK=${2:-/tmp/lodestone-dp-bench}
CLI=${CLI:-build/app/lodestone-cli}
mkdir -p "$WORK"
[ -d "$WORK/world/train" ] || "$CLI" make-shapes --out "$WORK/world" --count 2000 --seed 1 >/dev/null
for n in 1 2; do
    rm -rf "$WORK/run$n"
    # One intra-op thread per rank so that 1 and 2 processes use the same cores per rank.
    OMP_NUM_THREADS=$((2 / n)) nice -n 10 "$CLI" train --data "shapes:$WORK/world" --out "$WORK/run$n" \
        --arch "${ARCH:-tiny}" --steps "$STEPS" --batch "${BATCH:-64}" --warmup 5 --seed 1 --workers 1 \
        --no-augment --nproc "$n" 2>/dev/null | sed "s/^/{\"processes\":$n,\"result\":/; s/\$/}/"
done
echo "{\"model_safetensors_bytes\":$(stat -c %s "$WORK/run1/model/model.safetensors")}"
