#!/usr/bin/env bash
# Records what a real OpenAFS ptserver (Debian's openafs-dbserver) prints for the pts command sequence the tests run
# against ours, into src/test/resources/openafs/pts-session.txt. Run as root; re-run only to refresh the fixture.
#
# OpenAFS database servers refuse a loopback address as their own (Ubik checks its host address against the
# non-loopback interfaces), so the real ptserver runs in a network namespace this script creates, on an address that
# exists only there (an ifb device; nothing is added to the root namespace), with a private mount and UTS namespace:
# hostname, /etc/hosts and /var/lib/openafs (for the NoAuth file) are the script's own files. Nothing on the host
# changes; everything goes away on exit.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../src/test/resources/openafs/pts-session.txt}"
ns="ptfix$$"
addr="10.77.42.1"
work="$(mktemp -d /tmp/ptfix.XXXXXX)"
server_pid=""

cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  ip netns del "$ns" 2>/dev/null || true
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

mkdir -p "$work/server" "$work/client" "$work/lib/local" "$work/lib/db" "$work/log"
printf 'rxrpc.test\n' > "$work/server/ThisCell"
printf '>rxrpc.test\t#fixture cell\n%s\t#ptfix\n' "$addr" > "$work/server/CellServDB"
cp "$work/server/ThisCell" "$work/server/CellServDB" "$work/client/"
touch "$work/lib/local/NoAuth"
printf '127.0.0.1\tlocalhost\n%s\tptfix\n' "$addr" > "$work/hosts"

ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" ip link add ptfix0 type ifb
ip netns exec "$ns" ip addr add "$addr/24" dev ptfix0
ip netns exec "$ns" ip link set ptfix0 up

ip netns exec "$ns" unshare --mount --uts --propagation private sh -c "
  hostname ptfix
  mount --bind '$work/hosts' /etc/hosts
  mount --bind '$work/lib' /var/lib/openafs
  exec /usr/lib/openafs/ptserver -config '$work/server' -database '$work/lib/db/prdb' -logfile '$work/log/PtLog'
" &
server_pid=$!

N=(ip netns exec "$ns")
# Ubik needs a few seconds to elect itself; wait for the sync site's recovery to finish.
for _ in $(seq 1 60); do
  if "${N[@]}" udebug "$addr" 7002 2>/dev/null | grep -q 'Recovery state 1f'; then break; fi
  sleep 1
done

C=(-noauth -config "$work/client")
{
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    case "$line" in \#*) continue ;; esac
    read -r -a args <<< "$line"
    printf '$ pts %s\n' "$line"
    set +e
    "${N[@]}" pts "${args[@]}" "${C[@]}" > "$work/o" 2> "$work/e"
    rc=$?
    set -e
    # pts ends some messages with a stray carriage return: drop it, as the tests do.
    tr -d '\r' < "$work/o" | sed 's/^/> /'
    tr -d '\r' < "$work/e" | sed 's/^/! /'
    if [ -n "$(tail -c1 "$work/e" | tr -d '\r\n')" ]; then echo; fi
    printf 'exit %d\n' "$rc"
  done < "$here/../src/test/resources/openafs/pts-commands.txt"
  printf '$ udebug\n'
  "${N[@]}" udebug "$addr" 7002 | sed 's/^/> /'
} > "$out"
echo "recorded $(grep -c '^\$ ' "$out") commands into $out"
