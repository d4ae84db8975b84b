#!/usr/bin/env bash
# The end-to-end benchmark: rxrpc-spring vs OpenAFS's C Rx library, side by side on this machine.
# Usage: bench/run.sh [--quick] [--bulk-bytes 1g] [--reps N] [--skip-build] [--only rpc,bulk,udp,lossy] ...
# Builds the C peer (libopenafs-dev), bench/src tools (gcc) and examples/rxperf (Maven), runs, and writes
# bench/results/. See bench/README.md. Not part of the test run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v python3 >/dev/null || { echo "bench: python3 missing" >&2; exit 3; }
exec python3 "$here/harness.py" "$@"
