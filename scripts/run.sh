#!/usr/bin/env bash
# The main job: set-up, build, then lodestone-cli on a model folder.
#   scripts/run.sh [MODEL] [TEXT...]
# MODEL defaults to the reference fixture ../shared/fixtures/clip-tiny/hf when it is there. Prints the
# model's token ids and embeddings of the texts (and of the fixture's photos when the fixture is used).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
CLI=${LODESTONE_BUILD_DIR:-build}/app/lodestone-cli
FIXTURE=${LODESTONE_FIXTURES:-../shared/fixtures}/clip-tiny
MODEL=${1:-}
if [ -z "$MODEL" ]; then
    if [ -d "$FIXTURE/hf" ]; then
        MODEL=$FIXTURE/hf
    else
        echo "usage: scripts/run.sh MODEL_FOLDER [TEXT...]  (no default model: $FIXTURE is absent)" >&2
        exit 2
    fi
fi
shift || true
TEXTS=("$@")
[ ${#TEXTS[@]} -gt 0 ] || TEXTS=("a photo of a dog" "a photo of a cat" "a cracked phone screen")
echo "== token ids"
"$CLI" tokenize --model "$MODEL" "${TEXTS[@]}"
echo "== text embeddings (L2-normalised, one JSON array per text)"
"$CLI" embed-text --model "$MODEL" "${TEXTS[@]}"
if [ -d "$FIXTURE/images" ] && [ "$MODEL" = "$FIXTURE/hf" ]; then
    echo "== image embeddings of the fixture's photos"
    "$CLI" embed-image --model "$MODEL" "$FIXTURE"/images/*
fi
