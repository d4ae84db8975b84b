#!/bin/bash
# usage: prof.sh JAR TAG
JAR=$1; TAG=$2; PORT=7311
java -XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+DebugNonSafepoints -jar $JAR server -p $PORT -u 4194304 --stats > srv-$TAG.log 2>&1 &
SP=$!
sleep 3
/work/main/bench/target/rxperf-peer client -s 127.0.0.1 -p $PORT -u 4194304 --json -c rpc -t 8 -d 12 > warm-$TAG.json 2>/dev/null
/work/main/bench/target/rxperf-peer client -s 127.0.0.1 -p $PORT -u 4194304 --json -c rpc -t 8 -d 15 > run-$TAG.json 2>/dev/null &
CP=$!
sleep 2
perf record -F 1999 -g -p $SP -o perf-$TAG.data -- sleep 10 2>/dev/null
wait $CP
kill $SP; wait $SP
cat run-$TAG.json
