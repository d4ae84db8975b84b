# Runs in the helm test pod: real Rx traffic to $RX_SERVICE:$RX_PORT.
# Needs: RX_SERVICE (host name or address), RX_PORT, AFS_CELL; rxdebug and pts from openafs-client.
set -eu
# IPv4 only: rxdebug and pts speak Rx over IPv4. ahostsv4 also passes an address literal through.
addr=$(getent ahostsv4 "$RX_SERVICE" | awk '{ print $1; exit }')
if [ -z "$addr" ]; then
  echo "FAIL: cannot resolve $RX_SERVICE"
  exit 1
fi
echo "== rxdebug $addr -port $RX_PORT -version"
rxdebug -servers "$addr" -port "$RX_PORT" -version
if [ "$RX_PORT" != 7002 ]; then
  # pts always calls the protection service on 7002; nothing else to try through this port.
  echo "OK: Rx endpoint answered; pts skipped (service port $RX_PORT is not 7002)"
  exit 0
fi
conf=$(mktemp -d /tmp/afsconf.XXXXXX)
echo "$AFS_CELL" > "$conf/ThisCell"
printf '>%s #helm test\n%s #%s\n' "$AFS_CELL" "$addr" "$RX_SERVICE" > "$conf/CellServDB"
echo "== pts listmax -noauth -cell $AFS_CELL (PR service 73 at $addr:7002)"
pts listmax -noauth -cell "$AFS_CELL" -config "$conf"
echo "OK: Rx call to PR service 73 answered"
