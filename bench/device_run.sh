#!/usr/bin/env bash
# Everything measured on a lent GPU machine, in one go (bench/README.md records the figures):
#   1. bench_train_step: ViT-B/32 training steps in bf16 on data already on the GPU (samples/s, MFU);
#   2. bench_embed_image: the ViT-B/32 image tower's inference throughput;
#   3. `lodestone-cli train` end to end on the shapes world, in one process and as a one-rank NCCL group
#      (`--nproc 1`), the same run otherwise: what the process group costs;
#   4. bench_decode on the machine's cores: camera-size JPEG decoding for indexing (the 500 photos/s goal).
#
# The machine has CUDA and PyTorch's LibTorch but no Qt, OpenCV or SQLite: prepare here first with
#   ../shared/device/prepare-deps.sh . libutf8proc-dev libxxhash-dev libcli11-dev
#   bench/device_run.sh --stage-photos      (puts the source photographs into .device/photos-src)
# then run `bench/device_run.sh` there from the repository root, carrying .device. Logs go to $OUT.
# SCALE=small runs every step briefly (to try the script on a CPU machine against Debian's LibTorch).
set -uo pipefail

if [ "${1:-}" = "--stage-photos" ]; then
    # Eight of the thirteen photographs of bench/make_photos.sh (Debian's mate-backgrounds): what travels
    # to the machine is limited to 64 MiB, and the deps take 37 of it.
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    chmod 777 "$scratch"
    (cd "$scratch" && apt-get download mate-backgrounds >/dev/null 2>&1) || { echo "apt-get download failed" >&2; exit 1; }
    dpkg-deb -x "$scratch"/mate-backgrounds_*.deb "$scratch/root"
    mkdir -p .device/photos-src
    mkdir -p "$scratch/all"
    cp "$scratch"/root/usr/share/backgrounds/mate/{nature/*.jpg,abstract/Elephants_5640x3172.jpg} "$scratch/all/"
    ls "$scratch/all" | sort | head -8 | while read -r name; do cp "$scratch/all/$name" .device/photos-src/; done
    du -sh .device/photos-src
    exit 0
fi

OUT=${OUT:-/tmp/lodestone-device-out}
mkdir -p "$OUT"
log=$OUT/log.txt
say() { echo "== $(date +%T) $*" | tee -a "$log"; }
run() { # SECONDS COMMAND...: a step that may fail or overrun without stopping the others
    local limit=$1
    shift
    say "$*"
    timeout "$limit" "$@" 2>&1 | tee -a "$log"
    local rc=${PIPESTATUS[0]}
    [ "$rc" = 0 ] || say "exit status $rc"
}

small=0
[ "${SCALE:-}" = small ] && small=1
device=cuda
command -v nvidia-smi >/dev/null || device=cpu
jobs=$(nproc)

# Build the core, the command line and the benchmarks against this machine's LibTorch.
ln -sfn "$PWD/.device/deps" /opt/lodestone-deps
torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null || true)
# NCCL's header comes with PyTorch's nvidia-nccl wheel, not with the CUDA toolkit.
nccl_include=$(python3 - <<'PY' 2>/dev/null
import glob, os, site
for root in site.getsitepackages():
    for header in glob.glob(os.path.join(root, "nvidia", "**", "nccl.h"), recursive=True):
        print(os.path.dirname(header))
        raise SystemExit
PY
)
build=${BUILD_DIR:-build-gpu}
say "configure: torch at '${torch_prefix:-Debian}', nccl.h in '${nccl_include:-none}', $jobs cores, device $device"
[ "$device" = cuda ] && nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv | tee -a "$log"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLODESTONE_BUILD_GUI=OFF -DLODESTONE_BUILD_TESTS=OFF \
    -DCMAKE_PREFIX_PATH="${torch_prefix:+$torch_prefix;}/opt/lodestone-deps" \
    ${nccl_include:+-DLODESTONE_NCCL_INCLUDE_DIR="$nccl_include"} >"$OUT/build.log" 2>&1 &&
    cmake --build "$build" -j"$jobs" --target lodestone-cli bench_train_step bench_embed_image bench_decode \
        >>"$OUT/build.log" 2>&1 || {
    tail -40 "$OUT/build.log"
    exit 1
}
grep -E "^ \* (NCCL|Gloo)|^-- (The following|Enabled|Disabled)" "$OUT/build.log" | tee -a "$log"
say "built"
cli=$build/app/lodestone-cli

want() { [[ " ${STEPS:-train_step embed train decode index} " == *" $1 "* ]]; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. Training steps on device-resident data.
if want train_step; then
    if [ $small = 1 ]; then
        run 120 "$build/bench/bench_train_step" --device "$device" --preset tiny --batch 32 --seconds 2
    else
        run 150 "$build/bench/bench_train_step" --device "$device" --preset ViT-B/32 --batch 256,512,1024 --seconds 8
    fi
fi

# 2. Inference: the image tower alone and from JPEG files.
if want embed; then
    if [ $small = 1 ]; then
        run 120 "$build/bench/bench_embed_image" --device "$device" --preset tiny --batch 32 --images 8
    else
        run 90 "$build/bench/bench_embed_image" --device "$device" --batch 256 --images 64
        run 90 "$build/bench/bench_embed_image" --device "$device" --batch 1024 --images 64
    fi
fi

# 3. End-to-end training, without and with a (one-rank) process group. The model it leaves is what step 5
#    indexes with.
count=16384 arch=ViT-B/32 batch=256 steps=60 size=96
[ $small = 1 ] && count=256 arch=tiny batch=32 steps=3 size=64
modes="single nccl"
want train || { modes=single steps=2; }
if want train || want index; then
    run 120 "$cli" make-shapes --out "$work/world" --count $count --size $size --seed 1
    for mode in $modes; do
        extra=()
        [ $mode = nccl ] && extra=(--nproc 1)
        run 150 "$cli" train --data "shapes:$work/world" --out "$work/run-$mode" --arch $arch --batch $batch \
            --steps $steps --warmup 10 --workers $((jobs - 1)) --device "$device" --checkpoint-every 100000 "${extra[@]}"
        want train && cp "$work/run-$mode/metrics.jsonl" "$OUT/train-$mode.jsonl" 2>/dev/null
    done
fi

# 4. Decoding camera-size JPEGs on all cores (photos as bench/make_photos.sh makes them, from 8 seeds at once).
photos=$work/photos
per=8
[ $small = 1 ] && per=1
if want decode || want index; then
    mkdir -p "$photos"
    say "making $((8 * per)) camera-size photos"
    for seed in 1 2 3 4 5 6 7 8; do
        "$build/bench/bench_decode" make-photos --sources .device/photos-src --out "$work/photos-$seed" \
            --count $per --seed $seed --noise 8 >/dev/null 2>&1 &
    done
    wait
    for seed in 1 2 3 4 5 6 7 8; do
        for f in "$work/photos-$seed"/*.jpg; do mv "$f" "$photos/s${seed}_$(basename "$f")"; done
    done
fi
want decode && run 150 "$build/bench/bench_decode" run --folder "$photos" --threads "$((jobs / 2)),$jobs" --rounds 3

# 5. Indexing those photos with the trained model on the device, as the desktop program does (reduced
#    decoding, all cores).
want index && run 150 "$cli" index --library "$work/library" --model "$work/run-single/model" --device "$device" \
    --batch 64 --threads "$jobs" "$photos"
say "done"
