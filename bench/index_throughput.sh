#!/usr/bin/env bash
# Indexing throughput of `lodestone-cli index` on a folder of camera-size JPEGs (bench/make_photos.sh),
# with reduced JPEG decoding (the default) and with --full-decode, each into a fresh library; then a rescan
# of the unchanged folder. Prints photos/s, the peak RSS of each run and the catalog's bytes per photo.
#
# usage: bench/index_throughput.sh PHOTO_DIR MODEL [THREADS=0] [BUILD_DIR=build]
set -euo pipefail
photos=${1:?usage: bench/index_throughput.sh PHOTO_DIR MODEL [THREADS] [BUILD_DIR]}
model=${2:?model folder}
threads=${3:-0}
build=${4:-build}
cli="$build/app/lodestone-cli"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
n=$(find "$photos" -type f | wc -l)

run() { # NAME LIBRARY [INDEX OPTIONS...]
    local name=$1 lib=$2
    shift 2
    /usr/bin/time -f "%M %e" -o "$scratch/time" "$cli" index --library "$lib" --model "$model" \
        --threads "$threads" "$@" "$photos" >"$scratch/summary" 2>/dev/null
    read -r rss_kb wall <"$scratch/time"
    python3 - "$name" "$n" "$rss_kb" "$wall" "$scratch/summary" <<'PY'
import json, sys
name, n, rss_kb, wall, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
s = json.load(open(path))
done = s["indexed"] + s["unchanged"]
print(f"{name:14s} {n} files: indexed {s['indexed']}, unchanged {s['unchanged']}, failed {s['failed']}; "
      f"index {s['seconds']:.2f} s = {done / s['seconds']:.1f} photos/s; process {wall:.2f} s; peak RSS {rss_kb / 1024:.0f} MiB")
PY
}

run "reduced" "$scratch/reduced"
run "full-decode" "$scratch/full" --full-decode
run "rescan" "$scratch/reduced"
echo "catalog: $(($(stat -c %s "$scratch/reduced/catalog.db") / n)) bytes per photo ($(du -sb "$scratch/reduced" | cut -f1) bytes in the library folder)"
