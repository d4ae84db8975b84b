#!/usr/bin/env bash
# A throwaway OpenAFS database cell (vlserver + ptserver, -noauth) inside a network namespace this script creates.
#
#   cell.sh up   STATEDIR NETNS ADDR   # creates NETNS (lo + an ifb device holding ADDR/24), starts the servers
#   cell.sh down STATEDIR NETNS        # stops what `up` started, deletes NETNS and STATEDIR; safe to repeat
#   cell.sh exec NETNS CMD...          # runs CMD inside NETNS (for clients: pts, udebug, our JVM)
#
# Why a namespace: ubik takes gethostbyname(gethostname()) as the server's own address and insists that it is one
# of the machine's non-loopback interface addresses, so a cell on 127.0.0.1 does not start. ADDR exists only
# inside NETNS (no veth, no route out), so nothing reaches or changes the machine's own interfaces.
# Each server runs with private mount and UTS namespaces: its hostname maps to ADDR in a private /etc/hosts, and
# the cell's config, database and log directories are bind-mounted from STATEDIR over the Debian paths, so the
# host's /etc/openafs, /var/lib/openafs and /var/log/openafs are never written.
# Needs root, iproute2, util-linux unshare and Debian's openafs-dbserver + openafs-client (scripts/test.sh).
set -euo pipefail

VL=/usr/lib/openafs/vlserver
PT=/usr/lib/openafs/ptserver
CELL=rxtest.invalid
HOSTNAME_IN_CELL=rxtest-db

die() { echo "cell.sh: $*" >&2; exit 3; }

start_server() { # name, then the server command line
  local name="$1" state="$STATE"; shift
  ip netns exec "$NS" unshare --mount --uts --propagation private sh -c '
      set -e
      state="$1"; shift
      hostname '"$HOSTNAME_IN_CELL"'
      mount --bind "$state/hosts" /etc/hosts
      mount --bind "$state/server" /etc/openafs/server
      mount --bind "$state/lib" /var/lib/openafs
      mount --bind "$state/log" /var/log/openafs
      exec "$@"' sh "$state" "$@" >"$state/$name.out" 2>&1 &
  echo "$!" >"$state/$name.pid"
}

wait_sync_site() { # port: ubik says it is the sync site and recovery is complete
  local port="$1" i
  for i in $(seq 1 300); do
    if ip netns exec "$NS" udebug "$ADDR" "$port" 2>/dev/null | grep -q 'Recovery state 1f'; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

up() {
  [ "$(id -u)" -eq 0 ] || die "needs root (ip netns)"
  for f in "$VL" "$PT" /usr/bin/udebug /usr/bin/pts; do
    [ -x "$f" ] || die "$f missing: run scripts/test.sh (installs openafs-dbserver, openafs-client)"
  done
  mkdir -p "$STATE"/{server,lib/db,lib/local,log,client}
  chmod 700 "$STATE"/lib/db "$STATE"/lib/local
  echo "$CELL" >"$STATE/server/ThisCell"
  printf '>%s #rxrpc-spring test cell\n%s #%s\n' "$CELL" "$ADDR" "$HOSTNAME_IN_CELL" >"$STATE/server/CellServDB"
  cp "$STATE/server/ThisCell" "$STATE/server/CellServDB" "$STATE/client/"
  printf '127.0.0.1 localhost\n%s %s\n' "$ADDR" "$HOSTNAME_IN_CELL" >"$STATE/hosts"
  : >"$STATE/lib/local/NoAuth" # ptserver has no -noauth flag: it reads this file
  ip netns add "$NS"
  echo "$NS" >"$STATE/netns"
  ip -n "$NS" link set lo up
  # This kernel has no dummy driver; an ifb device holds an address just as well and carries no traffic out.
  ip -n "$NS" link add rxdb0 type ifb
  ip -n "$NS" addr add "$ADDR/24" dev rxdb0
  ip -n "$NS" link set rxdb0 up
  start_server vlserver "$VL" -noauth -nojumbo
  start_server ptserver "$PT"
  wait_sync_site 7003 || { cat "$STATE"/*.out "$STATE"/log/* >&2 2>/dev/null || true; die "vlserver not ready"; }
  wait_sync_site 7002 || { cat "$STATE"/*.out "$STATE"/log/* >&2 2>/dev/null || true; die "ptserver not ready"; }
  echo "cell.sh: cell $CELL up in netns $NS at $ADDR (vlserver $(cat "$STATE/vlserver.pid"), ptserver $(cat "$STATE/ptserver.pid"))"
}

down() {
  local pid n
  for n in vlserver ptserver; do
    if [ -f "$STATE/$n.pid" ]; then
      pid="$(cat "$STATE/$n.pid")"
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for n in vlserver ptserver; do
    if [ -f "$STATE/$n.pid" ]; then
      pid="$(cat "$STATE/$n.pid")"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  if ip netns list | awk '{print $1}' | grep -qx "$NS"; then
    # Anything still inside the namespace was started by us (clients of this cell).
    for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$NS"
  fi
  case "$STATE" in
    /tmp/*|*/target/*) rm -rf --one-file-system "$STATE" ;;
    *) echo "cell.sh: leaving $STATE (not under /tmp or a target dir)" >&2 ;;
  esac
}

cmd="${1:-}"
case "$cmd" in
  up) [ "$#" -eq 4 ] || die "usage: $0 up STATEDIR NETNS ADDR"; STATE="$2"; NS="$3"; ADDR="$4"; up ;;
  down) [ "$#" -eq 3 ] || die "usage: $0 down STATEDIR NETNS"; STATE="$2"; NS="$3"; down ;;
  exec) [ "$#" -ge 3 ] || die "usage: $0 exec NETNS CMD..."; NS="$2"; shift 2; exec ip netns exec "$NS" "$@" ;;
  *) die "usage: $0 up|down|exec ..." ;;
esac
