#!/bin/sh
# Install SpineLib's desktop integration: the menu entry, the AppStream metainfo, the file
# types (.bib .ris .nbib) and the icon at the usual hicolor sizes.
#
# Works from a checkout (packaging/ next to resources/) and from the one-folder build made by
# `make dist` (dist/spinelib/packaging/ next to dist/spinelib/_internal/spinelib/resources/).
#
#   packaging/install-desktop.sh [--prefix DIR] [--destdir DIR] [--exec COMMAND] [--uninstall]
#
#   --prefix DIR   where to install (default: ~/.local, i.e. for the current user only;
#                  use /usr/local with sudo for everyone)
#   --destdir DIR  stage under DIR (for distribution packages); caches are then not refreshed
#   --exec CMD     program the menu entry starts (default: the frozen program next to this
#                  script when there is one, else `spinelib` found on PATH, e.g. from pipx)
#   --uninstall    remove what an install put there
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX="${HOME}/.local"
DESTDIR=""
EXEC=""
UNINSTALL=0
APP_ID="io.github.spinelib.SpineLib"
DESKTOP_ID="spinelib"   # matches QGuiApplication.setDesktopFileName("spinelib") in gui/app.py
ICON_NAME="spinelib"

die() { echo "install-desktop: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; PREFIX=$2; shift 2 ;;
        --destdir) [ $# -ge 2 ] || die "--destdir needs a directory"; DESTDIR=$2; shift 2 ;;
        --exec) [ $# -ge 2 ] || die "--exec needs a command"; EXEC=$2; shift 2 ;;
        --uninstall) UNINSTALL=1; shift ;;
        -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) die "unknown option: $1 (see --help)" ;;
    esac
done

# Where the shipped resources are: a checkout, or inside the frozen folder.
if [ -d "$HERE/../resources" ]; then
    RESOURCES=$(cd "$HERE/../resources" && pwd)
elif [ -d "$HERE/../_internal/spinelib/resources" ]; then
    RESOURCES=$(cd "$HERE/../_internal/spinelib/resources" && pwd)
    if [ -z "$EXEC" ] && [ -x "$HERE/../spinelib" ]; then
        EXEC="$(cd "$HERE/.." && pwd)/spinelib"
    fi
else
    die "cannot find SpineLib's resources next to $HERE"
fi
[ -n "$EXEC" ] || EXEC="spinelib"

# The one desktop entry lives with the GUI's resources (and so inside wheels and the frozen
# folder too); packaging/ keeps no copy of its own that could drift.
DESKTOP_SRC="$RESOURCES/spinelib.desktop"
[ -f "$DESKTOP_SRC" ] || die "no spinelib.desktop in $RESOURCES"

ROOT="${DESTDIR}${PREFIX}"
SHARE="$ROOT/share"
APPS="$SHARE/applications"
METAINFO="$SHARE/metainfo"
MIME="$SHARE/mime"
HICOLOR="$SHARE/icons/hicolor"

refresh_caches() {
    # Only for a real install: a staged tree (DESTDIR) is refreshed by the package's triggers.
    [ -z "$DESTDIR" ] || return 0
    if command -v update-mime-database >/dev/null 2>&1 && [ -d "$MIME/packages" ]; then
        update-mime-database "$MIME" || true
    fi
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database "$APPS" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$HICOLOR/index.theme" ]; then
        gtk-update-icon-cache -q -f "$HICOLOR" 2>/dev/null || true
    fi
}

if [ "$UNINSTALL" = 1 ]; then
    rm -f "$APPS/$DESKTOP_ID.desktop" "$METAINFO/$APP_ID.metainfo.xml" \
          "$MIME/packages/spinelib.xml" "$HICOLOR/scalable/apps/$ICON_NAME.svg"
    for dir in "$HICOLOR"/*x*/apps; do
        [ -d "$dir" ] && rm -f "$dir/$ICON_NAME.png"
    done
    refresh_caches
    echo "removed SpineLib's desktop integration from $ROOT"
    exit 0
fi

mkdir -p "$APPS" "$METAINFO" "$MIME/packages"

# The entry starts $EXEC; a path with spaces must be quoted (Desktop Entry spec, Exec key).
case "$EXEC" in
    *" "*) EXEC_QUOTED="\"$EXEC\"" ;;
    *) EXEC_QUOTED="$EXEC" ;;
esac
# TryExec is a plain path, never quoted.
sed_escape() { printf '%s' "$1" | sed 's/[\\|&]/\\&/g'; }
EXEC_SED=$(sed_escape "$EXEC_QUOTED")
TRYEXEC_SED=$(sed_escape "$EXEC")
sed -e "s|^Exec=[^ ]*|Exec=$EXEC_SED|" -e "s|^TryExec=.*|TryExec=$TRYEXEC_SED|" \
    "$DESKTOP_SRC" > "$APPS/$DESKTOP_ID.desktop"
chmod 644 "$APPS/$DESKTOP_ID.desktop"

install -m 644 "$HERE/$APP_ID.metainfo.xml" "$METAINFO/$APP_ID.metainfo.xml"
install -m 644 "$HERE/mime/spinelib.xml" "$MIME/packages/spinelib.xml"

# Icons: resources/icons/spinelib-<N>.png go to hicolor/<N>x<N>/apps, the SVG to scalable.
icons=0
for png in "$RESOURCES"/icons/spinelib-*.png; do
    [ -f "$png" ] || continue
    size=$(basename "$png" .png | sed 's/^spinelib-//')
    case "$size" in
        ''|*[!0-9]*) continue ;;
    esac
    mkdir -p "$HICOLOR/${size}x${size}/apps"
    install -m 644 "$png" "$HICOLOR/${size}x${size}/apps/$ICON_NAME.png"
    icons=$((icons + 1))
done
if [ -f "$RESOURCES/icons/spinelib.svg" ]; then
    mkdir -p "$HICOLOR/scalable/apps"
    install -m 644 "$RESOURCES/icons/spinelib.svg" "$HICOLOR/scalable/apps/$ICON_NAME.svg"
    icons=$((icons + 1))
fi
[ "$icons" -gt 0 ] || echo "install-desktop: warning: no icons found in $RESOURCES/icons" >&2

refresh_caches
echo "installed SpineLib's desktop integration under $ROOT (menu entry runs: $EXEC_QUOTED)"
