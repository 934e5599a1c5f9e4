#!/usr/bin/env bash
# Builds a folder of camera-size JPEGs for bench_decode from real photographs that Debian ships in the
# mate-backgrounds package (1.26.0-1 on Debian 12; GPL-2+): the twelve photographs in nature/
# (1280x1024 to 2560x1920) and abstract/Elephants_5640x3172.jpg (a Sony RX100 IV photograph, apparently
# of a painting, at that camera's resolution). The package is fetched with `apt-get download` and unpacked
# with `dpkg-deb -x` into a scratch folder; nothing is installed. An installed copy is used if present.
#
# Each output photo is one of these, scaled to cover 4032x3024 (even numbers) or 6000x4000 (odd),
# randomly zoomed, cropped and mirrored, with Gaussian noise of sigma 8 levels (so that the files have the
# sizes of camera JPEGs), written at JPEG quality 90 (4:2:0) with an EXIF block (every fifth photo has
# Orientation 6): see makePhotos in bench_decode.cpp. Deterministic: the same bytes on every run.
#
# usage: bench/make_photos.sh OUT_DIR [COUNT=48] [BUILD_DIR=build]
# OUT_DIR should be outside the repository (e.g. /tmp/lodestone-photos): 48 photos take 244 MB.
set -euo pipefail

out=${1:?usage: bench/make_photos.sh OUT_DIR [COUNT] [BUILD_DIR]}
count=${2:-48}
build=${3:-build}
tool="$build/bench/bench_decode"
[ -x "$tool" ] || { echo "build bench_decode first ($tool not found)" >&2; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
chmod 777 "$scratch" # apt-get download runs as the _apt user, who must be able to write there
if [ -d /usr/share/backgrounds/mate/nature ]; then
    backgrounds=/usr/share/backgrounds/mate
    echo "using the installed mate-backgrounds $(dpkg-query -W -f='${Version}' mate-backgrounds 2>/dev/null || true)" >&2
else
    # apt-get download needs the package lists: run `apt-get update` once if it cannot find the package.
    (cd "$scratch" && apt-get download mate-backgrounds >&2)
    deb=$(ls "$scratch"/mate-backgrounds_*.deb)
    echo "using $(basename "$deb")" >&2
    dpkg-deb -x "$deb" "$scratch/root"
    backgrounds="$scratch/root/usr/share/backgrounds/mate"
fi
mkdir -p "$scratch/sources"
cp "$backgrounds"/nature/*.jpg "$backgrounds"/abstract/Elephants_5640x3172.jpg "$scratch/sources/"

"$tool" make-photos --sources "$scratch/sources" --out "$out" --count "$count" --seed 1 --noise 8
