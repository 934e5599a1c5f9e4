#!/usr/bin/env bash
# check_package.sh BUILD_DIR WORK_DIR [--install]
# Makes the Debian package from BUILD_DIR with CPack into WORK_DIR, then checks it without touching the
# system: control fields (name, section, Depends computed by dpkg-shlibdeps), the files it installs (both
# programs, the .desktop file, the AppStream metainfo, the icon at every hicolor size), both programs'
# --version from the unpacked tree, and desktop-file-validate / appstreamcli where installed.
# --install (root only, and only when no lodestone package is installed) also does the real check:
# dpkg -i, the programs from /usr/bin, dpkg -L, then dpkg -r to leave the machine as it was.
# Registered with CTest as packaging_deb (label slow).
set -euo pipefail
build=$(cd "$1" && pwd)
work=$2
mode=${3:-}
app_id=org.lodestone.Lodestone
fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log" >&2; fail "cpack"; }
debs=("$work"/lodestone_*_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one lodestone_*.deb in $work"
deb=${debs[0]}
version=$(dpkg-deb -f "$deb" Version)
echo "package: $deb ($(stat -c %s "$deb") bytes, version $version)"

[ "$(dpkg-deb -f "$deb" Package)" = lodestone ] || fail "package name"
[ "$(dpkg-deb -f "$deb" Section)" = graphics ] || fail "section"
[ "$(basename "$deb")" = "lodestone_${version}_$(dpkg --print-architecture).deb" ] || fail "file name $(basename "$deb")"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for p in libtorch libqt6core6 libqt6widgets6 libqt6charts6 libopencv-core libopencv-imgcodecs libsqlite3-0; do
    grep -q "$p" <<<"$depends" || fail "Depends lacks $p"
done

root=$work/root
dpkg-deb -x "$deb" "$root"
for f in usr/bin/lodestone usr/bin/lodestone-cli usr/share/applications/$app_id.desktop \
         usr/share/metainfo/$app_id.metainfo.xml usr/share/icons/hicolor/scalable/apps/$app_id.svg; do
    [ -s "$root/$f" ] || fail "the package lacks /$f"
done
for size in 16 22 24 32 48 64 128 256 512; do
    png=$root/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png
    [ -s "$png" ] || fail "the package lacks the ${size}px icon"
    # PNG: the IHDR chunk's width and height, big-endian, at bytes 16..23.
    read -r w0 w1 w2 w3 h0 h1 h2 h3 < <(od -An -tu1 -j16 -N8 "$png")
    w=$(((w0 << 24) | (w1 << 16) | (w2 << 8) | w3)); h=$(((h0 << 24) | (h1 << 16) | (h2 << 8) | h3))
    [ "$w" -eq "$size" ] && [ "$h" -eq "$size" ] || fail "${size}px icon is ${w}x${h}"
done
grep -q "^Exec=lodestone " "$root/usr/share/applications/$app_id.desktop" || fail "desktop Exec"
grep -q "^Icon=$app_id$" "$root/usr/share/applications/$app_id.desktop" || fail "desktop Icon"

check_versions() { # $1: folder holding the programs
    local gui cli
    gui=$(QT_QPA_PLATFORM=offscreen "$1/lodestone" --version 2>/dev/null) || fail "$1/lodestone --version"
    cli=$("$1/lodestone-cli" --version) || fail "$1/lodestone-cli --version"
    echo "$gui / $cli"
    [ "$gui" = "Lodestone $version" ] || fail "lodestone --version says '$gui'"
    grep -q "$version" <<<"$cli" || fail "lodestone-cli --version says '$cli'"
}
check_versions "$root/usr/bin"

if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$root/usr/share/applications/$app_id.desktop" || fail "desktop-file-validate"
else
    echo "skipped: desktop-file-validate (apt-get install desktop-file-utils)"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$root/usr/share/metainfo/$app_id.metainfo.xml" || fail "appstreamcli validate"
else
    echo "skipped: appstreamcli (apt-get install appstream)"
fi

if [ "$mode" = --install ]; then
    [ "$(id -u)" -eq 0 ] || fail "--install needs root"
    if dpkg -s lodestone >/dev/null 2>&1; then fail "a lodestone package is already installed; not replacing it"; fi
    trap 'dpkg -r lodestone >/dev/null 2>&1 || true' EXIT
    dpkg -i "$deb" || fail "dpkg -i (missing dependencies? apt install $deb)"
    check_versions /usr/bin
    listed=$(dpkg -L lodestone)
    for f in /usr/bin/lodestone /usr/bin/lodestone-cli /usr/share/applications/$app_id.desktop \
             /usr/share/metainfo/$app_id.metainfo.xml /usr/share/icons/hicolor/512x512/apps/$app_id.png; do
        grep -qx "$f" <<<"$listed" || fail "dpkg -L lacks $f"
    done
    dpkg -r lodestone >/dev/null
    trap - EXIT
    ! dpkg -s lodestone >/dev/null 2>&1 || fail "still installed after dpkg -r"
    echo "installed with dpkg -i, ran from /usr/bin, removed"
fi
echo "package check passed"
