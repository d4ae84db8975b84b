#!/bin/bash
# usage: ab2.sh LABEL JAR_A JAR_B [reps] [concs] [dur]  -- same C client against C server, ours at A, ours at B, interleaved
LABEL=$1; A=$2; B=$3; REPS=${4:-3}; CONCS=${5:-"1 8 64"}; DUR=${6:-5}
OUT=/tmp/pw/ab-$LABEL.jsonl; : > $OUT
PEER=/work/main/bench/target/rxperf-peer
$PEER server -p 7501 -u 4194304 >/dev/null 2>&1 & CPID=$!
java -jar $A server -p 7502 -u 4194304 >/tmp/pw/ab-$LABEL-A.log 2>&1 & APID=$!
java -jar $B server -p 7503 -u 4194304 >/tmp/pw/ab-$LABEL-B.log 2>&1 & BPID=$!
sleep 4
for p in 7502 7503; do $PEER client -c rpc -p $p -t 8 -d 6 >/dev/null 2>&1; $PEER client -c rpc -p $p -t 1 -d 3 >/dev/null 2>&1; done
for r in $(seq $REPS); do for c in $CONCS; do
  for x in "C 7501 $CPID" "A 7502 $APID" "B 7503 $BPID"; do set -- $x
    t0=$(awk '{print $14+$15}' /proc/$3/stat)
    v=$($PEER client -c rpc -p $2 -u 4194304 -t $c -d $DUR --json 2>>/tmp/pw/ab-$LABEL.err)
    t1=$(awk '{print $14+$15}' /proc/$3/stat)
    echo "{\"rep\":$r,\"c\":$c,\"pair\":\"$1\",\"cpuTicks\":$((t1-t0)),\"r\":$v}" >> $OUT
  done
done; done
kill $CPID $APID $BPID; wait $CPID $APID $BPID 2>/dev/null
python3 /tmp/pw/summab.py $OUT
