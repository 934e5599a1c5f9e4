#!/usr/bin/env bash
# Trains the small preset on the synthetic shapes world on this machine's CPU, with hard negatives off
# and on, and evaluates each on the held-out split. Prints the figures bench/README.md records; each run's
# shape confusion lands in WORK/NAME.confusion.txt and its curves in WORK/NAME.curves.md.
#   [SEED=1] [ARCH=tiny-conv] bench/shapes_training.sh [MINUTES=14] [WORK=/tmp/lodestone-shapes-bench]
# (WORK/world is made once and reused: remove it after the world's drawing changes.)
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-14}
WORK=${2:-/tmp/lodestone-shapes-bench}
CLI=${LODESTONE_BUILD_DIR:-build}/app/lodestone-cli
HOLDOUT=red:triangle,green:star,blue:hexagon,yellow:circle,purple:square,orange:triangle
mkdir -p "$WORK"
[ -f "$WORK/world/world.json" ] || "$CLI" make-shapes --out "$WORK/world" --count 20000 --test-count 2000 \
    --seed 1 --holdout "$HOLDOUT"

SEED=${SEED:-1}
run() { # name, extra train flags...
    local name=$1; shift
    [ "$SEED" = 1 ] || name=$name-seed$SEED
    "$CLI" train --data "shapes:$WORK/world" --out "$WORK/$name" --arch "${ARCH:-tiny-conv}" --time-limit "$MINUTES" \
        --batch 128 --lr 1e-3 --warmup 100 --seed "$SEED" --workers 2 "$@" | tee "$WORK/$name.train.json"
    "$CLI" eval --model "$WORK/$name/model" --data "shapes:$WORK/world" --json | tee "$WORK/$name.eval.json"
    python3 bench/curves.py "$WORK/$name/metrics.jsonl" > "$WORK/$name.curves.md"
    python3 bench/shape_confusion.py "$WORK/$name/model" "$WORK/world" "$CLI" > "$WORK/$name.confusion.txt"
}
run plain
run hard --hard-negatives one-word-off --hn-beta 0.5
