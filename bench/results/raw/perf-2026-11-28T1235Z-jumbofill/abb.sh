#!/bin/bash
# usage: abb.sh LABEL JAR_A JAR_B [reps] [bytes] [jumbo:1|0] -- bulk send/recv, same C client, C server / ours A / ours B
LABEL=$1; A=$2; B=$3; REPS=${4:-3}; BYTES=${5:-256m}; J=${6:-1}
OUT=/tmp/perf2/abb-$LABEL.jsonl; : > $OUT
PEER=/tmp/pw/rxperf-peer; U="-u 4194304"
if [ $J = 1 ]; then CJ=""; OJ=""; else CJ="-j"; OJ="--no-jumbo"; fi
$PEER server -p 7531 $U $CJ >/dev/null 2>&1 & CPID=$!
java $AOPTS -jar $A server -p 7532 $U $OJ >/tmp/perf2/abb-$LABEL-A.log 2>&1 & APID=$!
java $BOPTS -jar $B server -p 7533 $U $OJ >/tmp/perf2/abb-$LABEL-B.log 2>&1 & BPID=$!
sleep 4
for p in 7532 7533; do $PEER client -c recv -p $p -n 1 -b 64m $U $CJ >/dev/null 2>&1; $PEER client -c send -p $p -n 1 -b 64m $U $CJ >/dev/null 2>&1; done
uptime | sed 's/^/# /' >> $OUT
for r in $(seq $REPS); do for c in send recv; do
  for x in "C->C 7531 $CPID" "A 7532 $APID" "B 7533 $BPID"; do set -- $x
    t0=$(awk '{print $14+$15}' /proc/$3/stat)
    s0=$(date +%s%N)
    v=$( { /usr/bin/time -f '%U %S' $PEER client -c $c -p $2 -n 1 -b $BYTES $U $CJ --json 2>/tmp/perf2/abb-cpu; } 2>>/tmp/perf2/abb-$LABEL.err)
    t1=$(awk '{print $14+$15}' /proc/$3/stat)
    ccpu=$(tail -1 /tmp/perf2/abb-cpu | awk '{print $1+$2}')
    echo "{\"bytes\":\"$BYTES\",\"rep\":$r,\"dir\":\"$c\",\"pair\":\"$1\",\"srvTicks\":$((t1-t0)),\"cliCpu\":$ccpu,\"r\":$v}" >> $OUT
  done
done; done
uptime | sed 's/^/# /' >> $OUT
kill $CPID $APID $BPID; wait $CPID $APID $BPID 2>/dev/null
python3 - $OUT <<'PY'
import json,sys,statistics,collections
rows=collections.defaultdict(lambda: collections.defaultdict(dict))
for l in open(sys.argv[1]):
    if l.startswith('#'): print(l.strip()); continue
    d=json.loads(l); rows[d['dir']][d['pair']][d['rep']]=d
for dr in rows:
    cc=rows[dr]['C->C']
    for p in ['C->C','A','B']:
        v=rows[dr][p]
        mb=[v[r]['r'].get('mbPerSec',0) for r in sorted(v)]
        rs=[v[r]['r'].get('mbPerSec',0)/max(1e-9,cc[r]['r'].get('mbPerSec',1)) for r in sorted(v)]
        gib=[ (v[r]['srvTicks']/100+v[r]['cliCpu'])/ (int(v[r]['bytes'][:-1])*{'k':2**10,'m':2**20,'g':2**30}[v[r]['bytes'][-1]]/2**30) for r in sorted(v)]
        srv=[ (v[r]['srvTicks']/100)/ (int(v[r]['bytes'][:-1])*{'k':2**10,'m':2**20,'g':2**30}[v[r]['bytes'][-1]]/2**30) for r in sorted(v)]
        print(f"{dr:4} {p:5} MB/s med {statistics.median(mb):7.1f} {[round(x,1) for x in mb]} ratio med {statistics.median(rs):.2f} {[round(x,2) for x in rs]} cpu s/GiB both {statistics.median(gib):.2f} server {statistics.median(srv):.2f}")
PY
