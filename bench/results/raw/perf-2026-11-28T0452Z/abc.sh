#!/bin/bash
# usage: abc.sh LABEL JAR_A JAR_B [reps] [concs] [dur]  -- clients C / ours(A) / ours(B) against one OpenAFS C server
LABEL=$1; A=$2; B=$3; REPS=${4:-3}; CONCS=${5:-"1 8 64"}; DUR=${6:-3}
OUT=/tmp/perf2/abc-$LABEL.jsonl; : > $OUT
PEER=/tmp/pw/rxperf-peer
$PEER server -p 7511 >/dev/null 2>&1 & CPID=$!
sleep 1
uptime | sed 's/^/# /' >> $OUT
for r in $(seq $REPS); do for c in $CONCS; do
  for x in "C->C" "A" "B"; do
    t0=$(awk '{print $14+$15}' /proc/$CPID/stat)
    case $x in
      C-\>C) v=$($PEER client -c rpc -p 7511 -t $c -d $DUR --json 2>>/tmp/perf2/abc-$LABEL.err);;
      A) v=$(java -jar $A client -c rpc -p 7511 -t $c -d $DUR --warmup 1 --json 2>>/tmp/perf2/abc-$LABEL.err);;
      B) v=$(java -jar $B client -c rpc -p 7511 -t $c -d $DUR --warmup 1 --json 2>>/tmp/perf2/abc-$LABEL.err);;
    esac
    t1=$(awk '{print $14+$15}' /proc/$CPID/stat)
    echo "{\"rep\":$r,\"c\":$c,\"pair\":\"$x\",\"cpuTicks\":$((t1-t0)),\"r\":$v}" >> $OUT
  done
done; done
uptime | sed 's/^/# /' >> $OUT
kill $CPID; wait $CPID 2>/dev/null
python3 /tmp/perf2/summab.py $OUT
