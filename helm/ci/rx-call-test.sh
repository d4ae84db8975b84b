#!/usr/bin/env bash
# Runs the chart's `helm test` script, exactly as rendered into the test Pod, against a real PR server: OpenAFS's
# ptserver in a network namespace of our own (no cluster here). Shows that the script's rxdebug and pts commands make
# a real Rx call and read the answer, and that it fails when nothing answers.
# Usage: rx-call-test.sh <rendered-default.yaml> <work-dir>   (root: creates and deletes its own netns)
# Prints "rx-call: N passed, N failed".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
render="$(realpath "$1")"
work="$(realpath -m "$2")"
ptserver=/usr/lib/openafs/ptserver # Debian openafs-dbserver
ns="rxhelm-$$"
# An address inside our own namespace: ubik will not run on a host whose only address is loopback.
addr=10.213.77.1
passed=0
failed=0
result() { if [ "$1" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $2"; fi; }
finish() { echo "rx-call: $passed passed, $failed failed"; }

for need in "$ptserver" /usr/bin/pts /usr/bin/rxdebug /usr/bin/udebug; do
  [ -x "$need" ] || { echo "FAIL $need missing (scripts/test.sh installs openafs-client and openafs-dbserver)"; failed=1; finish; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "FAIL needs root for its network namespace"; failed=1; finish; exit 1; }

rm -rf "$work" && mkdir -p "$work/conf" "$work/db" "$work/logs"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add v0 type veth peer name v1
ip -n "$ns" addr add "$addr/24" dev v0
ip -n "$ns" link set v0 up
ip -n "$ns" link set v1 up

# The test script and its environment, from the rendered Pod.
cd "$here" # node resolves yaml from helm/ci/node_modules
node --input-type=module -e '
import { readFileSync, writeFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
const pod = parseAllDocuments(readFileSync(process.argv[1], "utf8")).map((d) => d.toJS()).find((o) => o?.kind === "Pod");
const c = pod.spec.containers[0];
writeFileSync(process.argv[2] + "/test.sh", c.args[0]);
writeFileSync(process.argv[2] + "/env", c.env.map((e) => `${e.name}=${e.value}`).join("\n") + "\n");
' "$render" "$work"
cell="$(sed -n 's/^AFS_CELL=//p' "$work/env")"
port="$(sed -n 's/^RX_PORT=//p' "$work/env")"
echo "$cell" > "$work/conf/ThisCell"
printf '>%s #rx-call-test\n%s #ptserver\n' "$cell" "$addr" > "$work/conf/CellServDB"
touch "$work/conf/UserList"

run_test() { # the Pod's script, with the Service name replaced by the server's address
  ip netns exec "$ns" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin RX_SERVICE="$addr" RX_PORT="$port" AFS_CELL="$cell" \
    timeout 120 sh "$work/test.sh" >"$work/$1.log" 2>&1
}

ip netns exec "$ns" "$ptserver" -database "$work/db/prdb" -config "$work/conf" -logfile "$work/logs/PtLog" \
  >"$work/ptserver.out" 2>&1 &
pid=$!
# A single ubik server elects itself sync site and then recovers its database (state 1f: all recovery steps done)
# a few seconds after start; pts answers "no quorum" before that. Bounded poll.
synced=no
for _ in $(seq 1 150); do
  if ip netns exec "$ns" udebug -server "$addr" -port 7002 2>/dev/null | grep -q "^Recovery state 1f"; then synced=yes; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
if [ "$synced" = yes ]; then result ok; else result fail "OpenAFS ptserver did not become sync site"; cat "$work/ptserver.out" "$work/logs/PtLog" 2>/dev/null; finish; exit 1; fi

if run_test up && grep -q "^AFS version: " "$work/up.log" && grep -q "^Max user id is .* and max group id is " "$work/up.log" \
  && grep -q "^OK: Rx call to PR service 73 answered" "$work/up.log"; then
  result ok
else
  result fail "helm test script against a running ptserver:"; cat "$work/up.log"
fi

# Nothing listening: the script must fail (rxdebug gives up after its own timeout).
kill "$pid" && wait "$pid" 2>/dev/null || true
pid=""
if run_test down; then result fail "helm test script passed with no server:"; cat "$work/down.log"; else result ok; fi

finish
[ "$failed" -eq 0 ]
