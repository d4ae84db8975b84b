#!/bin/bash
# window.sh REPS BYTES: the OpenAFS C client downloading from the C server and from ours, at OpenAFS's default
# receive window (32 packets) and at 128 (rxperf-peer -W, a diagnostic); prints MB/s and the C client's CPU s/GiB.
REPS=${1:-3}; BYTES=${2:-256m}; U="-u 4194304"; PEER=${PEER:-/tmp/pw/rxperf-peer-w}; JAR=${JAR:-/tmp/pw/tail.jar}
$PEER server -p 7801 $U >/dev/null 2>&1 & C=$!
$PEER server -p 7811 $U -W 128 >/dev/null 2>&1 & CW=$!
java -jar $JAR server -p 7802 $U >/dev/null 2>&1 & J=$!
sleep 4; $PEER client -c recv -p 7802 -n 1 -b 64m $U >/dev/null
for r in $(seq $REPS); do for w in 32 128; do for s in C ours; do
  if [ $s = C ]; then p=$([ $w = 32 ] && echo 7801 || echo 7811); else p=7802; fi
  out=$( { /usr/bin/time -f 'CPU %U %S' $PEER client -c recv -p $p -n 1 -b $BYTES $U -W $w --json; } 2>&1 )
  mb=$(echo "$out" | grep '^{' | python3 -c "import json,sys; print(json.load(sys.stdin)['mbPerSec'])")
  cpu=$(echo "$out" | awk '/^CPU/ {print $2+$3}')
  echo "W=$w server=$s MB/s=$mb clientCpuS=$cpu"
done; done; done
kill $C $CW $J; wait 2>/dev/null
