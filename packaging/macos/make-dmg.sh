#!/usr/bin/env bash
# Wrap a (signed) Nexus.app in a compressed disk image with a link to /Applications, so
# people install by dragging.
#
# usage: packaging/macos/make-dmg.sh path/to/Nexus.app path/to/nexus-VERSION.dmg
#
# Environment:
#   NEXUS_MACOS_SIGN_IDENTITY  when set, the .dmg is signed too (notarise it afterwards
#                              with notarize.sh).
#   NEXUS_DRY_RUN=1            print the commands instead of running them.
set -euo pipefail

app=${1:?usage: make-dmg.sh path/to/Nexus.app out.dmg}
dmg=${2:?usage: make-dmg.sh path/to/Nexus.app out.dmg}

run() {
    if [ "${NEXUS_DRY_RUN:-}" = 1 ]; then
        printf '+'
        printf ' %q' "$@"
        printf '\n'
    else
        "$@"
    fi
}

staging=$(mktemp -d "${TMPDIR:-/tmp}/nexus-dmg.XXXXXX")
trap 'rm -rf "$staging"' EXIT
run ditto "$app" "$staging/$(basename "$app")"
run ln -s /Applications "$staging/Applications"
run hdiutil create -volname Nexus -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"
if [ -n "${NEXUS_MACOS_SIGN_IDENTITY:-}" ]; then
    run codesign --force --sign "$NEXUS_MACOS_SIGN_IDENTITY" --timestamp "$dmg"
fi
