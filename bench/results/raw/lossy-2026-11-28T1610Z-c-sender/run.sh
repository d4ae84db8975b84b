#!/bin/bash
# usage: run.sh SERVER(c|ours) OP(send|recv) LOSS SEED [BYTES]
M=/work/main; T=$M/bench/target
srv=$1 op=$2 loss=$3 seed=$4 bytes=${5:-5m}
port=7101; [ $srv = c ] && port=7100
rport=$((7300 + RANDOM % 500))
$T/impair-relay -l $rport -t $port -d 5 -L $loss -s $seed > relay.$$.out 2>&1 &
rp=$!
sleep 0.3
/usr/bin/time -f "clientcpu %U %S" $T/rxperf-peer client -s 127.0.0.1 -p $rport -u 4194304 --json -c $op -b $bytes -n 1 2>&1 | grep -o '"seconds": *[0-9.]*\|"mbPerSec": *[0-9.]*\|clientcpu.*\|"errors": *[0-9]*' | tr '\n' ' '
kill $rp; wait $rp 2>/dev/null; grep '^{' relay.$$.out | head -1 | cut -c1-400; rm -f relay.$$.out
