#!/bin/bash
# usage: warm.sh JAR REPS -- the C client, then our client with --warmup 1 and with --warmup 10, against the C server on 7531
J=$1; REPS=$2
for r in $(seq $REPS); do for t in 1 8 64; do
  echo "{\"rep\":$r,\"t\":$t,\"client\":\"C\",\"r\":$(/tmp/pw/rxperf-peer client -c rpc -p 7531 -t $t -d 5 --json)}"
  for w in 1 10; do
    echo "{\"rep\":$r,\"t\":$t,\"client\":\"ours-w$w\",\"r\":$(java -jar $J client -c rpc -p 7531 -t $t -d 5 --warmup $w --json 2>/dev/null)}"
  done
done; done
