#!/bin/bash
# usage: abc.sh REPS T DUR JAR... -- our clients (jars) vs the C client against the C server on 7531, interleaved
REPS=$1; T=$2; DUR=$3; shift 3
for r in $(seq $REPS); do
  for J in "$@" C; do
    if [ $J = C ]; then out=$(/tmp/pw/rxperf-peer client -c rpc -p 7531 -t $T -d $DUR --json)
    else out=$(java -jar /tmp/pw/$J.jar client -c rpc -p 7531 -t $T -d $DUR --warmup 1 --json 2>/dev/null); fi
    echo "$out" | python3 -c "import json,sys; d=json.loads(sys.stdin.read()); print('$J', d['callsPerSec'], d['p50Us'], d['p99Us'])"
  done
done | python3 -c "
import sys,statistics,collections
d=collections.defaultdict(list)
for l in sys.stdin:
    k,c,p50,p99=l.split(); d[k].append((float(c),float(p50),float(p99)))
for k,v in d.items():
    print(k, 'calls/s med', statistics.median(x[0] for x in v), [int(x[0]) for x in v], 'p50 med', statistics.median(x[1] for x in v), 'p99 med', statistics.median(x[2] for x in v))
"
