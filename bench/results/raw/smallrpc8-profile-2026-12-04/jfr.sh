#!/bin/bash
JAR=$1; TAG=$2; PORT=7313
mkdir -p /tmp/pf
# profile.jfc with the Java execution sampler at 1 ms instead of 10 ms
JH=$(dirname $(dirname $(readlink -f $(which java))))
sed '/jdk.ExecutionSample"/,/<\/event>/s/10 ms/1 ms/' $JH/lib/jfr/profile.jfc > /tmp/pf/fast.jfc
java -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -jar $JAR server -p $PORT -u 4194304 > srvj-$TAG.log 2>&1 &
SP=$!
sleep 3
/work/main/bench/target/rxperf-peer client -s 127.0.0.1 -p $PORT -u 4194304 --json -c rpc -t 8 -d 12 > /dev/null 2>&1
/work/main/bench/target/rxperf-peer client -s 127.0.0.1 -p $PORT -u 4194304 --json -c rpc -t 8 -d 25 > runj-$TAG.json 2>/dev/null &
CP=$!
sleep 2
jcmd $SP JFR.start settings=/tmp/pf/fast.jfc filename=/tmp/pf/$TAG.jfr duration=20s > /dev/null
wait $CP
sleep 1
kill $SP; wait $SP
cat runj-$TAG.json
