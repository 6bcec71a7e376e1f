#!/usr/bin/env bash
# Sign Nexus.app from the inside out: the CEF framework's libraries, the framework, each
# helper app (JIT entitlements), the AI worker, then the app itself.
#
# usage: packaging/macos/sign.sh path/to/Nexus.app
#
# Environment:
#   NEXUS_MACOS_SIGN_IDENTITY  a codesign identity ("Developer ID Application: ..."): signs
#                              with the hardened runtime and a secure timestamp, as
#                              notarisation requires. Unset: ad-hoc signature ("-"), enough
#                              to run on this Mac (Apple Silicon refuses unsigned code).
#   NEXUS_DRY_RUN=1            print the codesign commands instead of running them.
set -euo pipefail

app=${1:?usage: sign.sh path/to/Nexus.app}
here=$(cd "$(dirname "$0")" && pwd)
identity=${NEXUS_MACOS_SIGN_IDENTITY:--}

if [ ! -d "$app/Contents/Frameworks" ]; then
    echo "sign.sh: $app is not a Nexus.app bundle (no Contents/Frameworks)" >&2
    exit 1
fi

run() {
    if [ "${NEXUS_DRY_RUN:-}" = 1 ]; then
        printf '+'
        printf ' %q' "$@"
        printf '\n'
    else
        "$@"
    fi
}

flags=(--force --sign "$identity")
if [ "$identity" = "-" ]; then
    flags+=(--timestamp=none)
else
    flags+=(--options runtime --timestamp)
fi

framework="$app/Contents/Frameworks/Chromium Embedded Framework.framework"
if [ -d "$framework/Libraries" ]; then
    for lib in "$framework"/Libraries/*.dylib; do
        [ -e "$lib" ] || continue
        run codesign "${flags[@]}" "$lib"
    done
fi
run codesign "${flags[@]}" "$framework"

for helper in "$app"/Contents/Frameworks/*Helper*.app; do
    run codesign "${flags[@]}" --entitlements "$here/helper.entitlements" "$helper"
done

for tool in "$app"/Contents/MacOS/*; do
    case "$tool" in
        "$app/Contents/MacOS/Nexus") ;;
        *) run codesign "${flags[@]}" --entitlements "$here/app.entitlements" "$tool" ;;
    esac
done

run codesign "${flags[@]}" --entitlements "$here/app.entitlements" "$app"
if [ "${NEXUS_DRY_RUN:-}" != 1 ]; then
    codesign --verify --deep --strict --verbose=2 "$app"
fi
