#!/bin/bash
# oo.sh REPS BYTES JUMBO(1|0) JAR_A JAR_B : ours->ours bulk, each jar as both client and server, interleaved
REPS=$1; B=$2; J=$3; A=$4; BB=$5; U="-u 4194304"; if [ $J = 1 ]; then OJ=""; else OJ="-j"; fi
java -jar /tmp/pw/$A.jar server -p 7702 $U $OJ >/dev/null 2>&1 & P1=$!
java -jar /tmp/pw/$BB.jar server -p 7703 $U $OJ >/dev/null 2>&1 & P2=$!
sleep 4
for r in $(seq $REPS); do for x in "$A 7702" "$BB 7703"; do set -- $x; for c in send recv; do
  v=$(java -jar /tmp/pw/$1.jar client -c $c -p $2 -n 2 -b $B $U $OJ --warmup 1 --json 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)['mbPerSec'])")
  echo "$1 $c $v"; done; done; done | python3 -c "
import sys,collections,statistics
d=collections.defaultdict(list)
for l in sys.stdin:
    j,c,v=l.split(); d[(j,c)].append(float(v))
for k,v in sorted(d.items()): print(k, 'med', round(statistics.median(v),1), v)"
kill $P1 $P2; wait $P1 $P2 2>/dev/null
