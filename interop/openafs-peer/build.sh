#!/usr/bin/env bash
# Builds rxperf-peer against OpenAFS's Rx library from Debian's libopenafs-dev.
# Usage: interop/openafs-peer/build.sh OUTPUT_PATH
# Needs gcc and libopenafs-dev (scripts/test.sh installs both).
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: $0 OUTPUT_PATH" >&2
  exit 2
fi
out="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

command -v gcc >/dev/null || { echo "build.sh: gcc missing: run scripts/test.sh, which installs it" >&2; exit 3; }
[ -f /usr/lib/libafsrpc.a ] && [ -f /usr/include/rx/rx.h ] || {
  echo "build.sh: libopenafs-dev missing: run scripts/test.sh, which installs it" >&2; exit 3; }

mkdir -p "$(dirname "$out")"
# libafsauthent.a (afsconf_*: key files, rxkad security objects) and libafsrpc.a (Rx, rxkad) need Heimdal's
# hcrypto and roken, which Debian ships without .so dev links.
gcc -O2 -g -Wall -D_REENTRANT -DAFS_PTHREAD_ENV -o "$out.tmp.$$" "$here/rxperf-peer.c" \
  /usr/lib/libafsauthent.a /usr/lib/libafsrpc.a -l:libhcrypto.so.5 -l:libroken.so.19 -lpthread
mv -f "$out.tmp.$$" "$out"
