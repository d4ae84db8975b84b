#!/bin/bash
# usage: cpu.sh JAR|C T  -- client vs C server 7531: calls/s and client CPU us per call over 5 s of steady state
J=$1; T=$2
if [ $J = C ]; then /tmp/pw/rxperf-peer client -c rpc -p 7531 -t $T -d 7 --json > /tmp/pw/cpu.out & sleep 1.5; P=$(pgrep -f "rxperf-peer client" | head -1)
else java -jar /tmp/pw/$J.jar client -c rpc -p 7531 -t $T -d 7 --warmup 10 --json 2>/dev/null > /tmp/pw/cpu.out & sleep 12; P=$(pgrep -f "$J.jar client" | head -1); fi
ms=$(perf stat -x, -e task-clock -p $P -- sleep 5 2>&1 | grep task-clock | cut -d, -f1)
wait; python3 -c "import json;d=json.load(open('/tmp/pw/cpu.out'));c=d['callsPerSec'];print('$J t=$T calls/s',c,'p50',d['p50Us'],'p99',d['p99Us'],'cpu us/call %.1f'%($ms*1000/5/c))"
