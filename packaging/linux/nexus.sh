#!/bin/sh
# Starts Nexus from wherever this tree is: installed (/usr/bin/nexus next to
# /usr/lib/nexus) or unpacked from the portable tarball (bin/nexus next to lib/nexus).
# The binaries find libcef.so through their run path ($ORIGIN), so no library path is
# set here; only the AI worker's model folder, unless the caller chose one.
set -eu
here=$(dirname -- "$(readlink -f -- "$0")")
lib="$here/../lib/nexus"
if [ -z "${NEXUS_MODEL_DIR:-}" ] && [ -d "$lib/models" ]; then
    NEXUS_MODEL_DIR="$lib/models"
    export NEXUS_MODEL_DIR
fi
exec "$lib/nexus" "$@"
