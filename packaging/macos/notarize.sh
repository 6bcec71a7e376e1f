#!/usr/bin/env bash
# Send a signed .dmg to Apple's notary service, wait for the verdict and staple the
# ticket to it. Does nothing (and says so) unless credentials are set.
#
# usage: packaging/macos/notarize.sh path/to/nexus-VERSION.dmg
#
# Environment (one of):
#   NEXUS_NOTARY_PROFILE       a keychain profile made with `xcrun notarytool store-credentials`
#   NEXUS_NOTARY_APPLE_ID, NEXUS_NOTARY_TEAM_ID, NEXUS_NOTARY_PASSWORD
#                              an Apple ID, its team and an app-specific password
#   NEXUS_DRY_RUN=1            print the commands instead of running them.
set -euo pipefail

dmg=${1:?usage: notarize.sh path/to/nexus-VERSION.dmg}

run() {
    if [ "${NEXUS_DRY_RUN:-}" = 1 ]; then
        printf '+'
        printf ' %q' "$@"
        printf '\n'
    else
        "$@"
    fi
}

if [ -n "${NEXUS_NOTARY_PROFILE:-}" ]; then
    credentials=(--keychain-profile "$NEXUS_NOTARY_PROFILE")
elif [ -n "${NEXUS_NOTARY_APPLE_ID:-}" ]; then
    credentials=(--apple-id "$NEXUS_NOTARY_APPLE_ID"
        --team-id "${NEXUS_NOTARY_TEAM_ID:?NEXUS_NOTARY_TEAM_ID must be set with NEXUS_NOTARY_APPLE_ID}"
        --password "${NEXUS_NOTARY_PASSWORD:?NEXUS_NOTARY_PASSWORD must be set with NEXUS_NOTARY_APPLE_ID}")
else
    echo "notarize.sh: no NEXUS_NOTARY_PROFILE or NEXUS_NOTARY_APPLE_ID: $dmg is not notarised" >&2
    exit 0
fi

run xcrun notarytool submit "$dmg" "${credentials[@]}" --wait
run xcrun stapler staple "$dmg"
