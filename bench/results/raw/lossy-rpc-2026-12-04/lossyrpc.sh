#!/bin/bash
# usage: lossyrpc.sh JAR LOSS "SEEDS" [DUR]: OpenAFS C client, 1 call at a time, through impair-relay (5 ms each way) to our server
J=$1; LOSS=$2; SEEDS=$3; DUR=${4:-20}; T=/work/main/bench/target
java -jar $J server -p 7101 -u 4194304 >/tmp/pw/l-ours.log 2>&1 & OS=$!; sleep 4
for seed in $SEEDS; do
 /work/main/bench/target/impair-relay -l 7350 -t 7101 -d 5 -L $LOSS -s $seed > /tmp/pw/relay.out 2>&1 & rp=$!; sleep 0.3
 echo "seed $seed $($T/rxperf-peer client -s 127.0.0.1 -p 7350 -u 4194304 --json -c rpc -S 3 -R 30 -t 1 -d $DUR)"
 kill $rp; wait $rp 2>/dev/null
done; kill $OS; wait $OS 2>/dev/null
