#!/bin/bash
# usage: abbulk.sh LABEL JAR_A JAR_B REPS OP -- same C client sends/receives 1 GiB to our server at A and at B, interleaved
LABEL=$1; A=$2; B=$3; REPS=${4:-4}; OP=${5:-send}
PEER=/work/main/bench/target/rxperf-peer
mkdir -p /tmp/pf; OUT=/tmp/pf/abbulk-$LABEL.txt; : > $OUT
java -jar $A server -p 7602 -u 4194304 >/dev/null 2>&1 & APID=$!
java -jar $B server -p 7603 -u 4194304 >/dev/null 2>&1 & BPID=$!
sleep 4
for p in 7602 7603; do $PEER client -c rpc -p $p -t 8 -d 3 >/dev/null 2>&1; $PEER client -s 127.0.0.1 -p $p -u 4194304 -c $OP -b 16m -n 2 >/dev/null 2>&1; done
for r in $(seq $REPS); do
  for x in "A 7602" "B 7603"; do set -- $x
    v=$($PEER client -s 127.0.0.1 -p $2 -u 4194304 --json -c $OP -b 1g -n 1 2>/dev/null | python3 -c "import sys,json; print(json.loads(sys.stdin.read())['mbPerSec'])")
    echo "$r $1 $v" | tee -a $OUT
  done
done
kill $APID $BPID; wait $APID $BPID 2>/dev/null
