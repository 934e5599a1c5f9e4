#!/usr/bin/env bash
# Remakes the committed hicolor PNG icons from resources/icons/lodestone.svg. Run after editing the SVG;
# the build and the package use the committed PNGs, so a build machine does not need a renderer. The
# scalable icon is the SVG itself, installed by packaging/CMakeLists.txt under the application id.
# Needs rsvg-convert (Debian: apt-get install -y librsvg2-bin).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
svg="$root/resources/icons/lodestone.svg"
out="$root/packaging/icons/hicolor"
command -v rsvg-convert >/dev/null || { echo "render-icons.sh: rsvg-convert not found (apt-get install -y librsvg2-bin)" >&2; exit 1; }
for size in 16 22 24 32 48 64 128 256 512; do
    dir="$out/${size}x${size}/apps"
    mkdir -p "$dir"
    rsvg-convert --width "$size" --height "$size" --format png --output "$dir/org.lodestone.Lodestone.png" "$svg"
done
echo "icons written under $out"
