#!/bin/bash
# gaps.sh JAR|C : capture one client run against the C server on 7531 and print the per-call gaps
J=$1; rm -f /tmp/pw/g.pcap
(timeout 12 tshark -i lo -f "udp port 7531" -w /tmp/pw/g.pcap -q 2>/dev/null &) ; sleep 2
if [ $J = C ]; then /tmp/pw/rxperf-peer client -c rpc -p 7531 -t 1 -d 4 >/dev/null; else java -jar /tmp/pw/$J.jar client -c rpc -p 7531 -t 1 -d 3 --warmup 1 --json >/dev/null 2>&1; fi
sleep 7
tshark -r /tmp/pw/g.pcap -d udp.port==7531,rx -T fields -e frame.time_relative -e udp.srcport -e rx.type -e rx.flags -e rx.callnumber -e rx.seq -e rx.serial -e rx.reason -e udp.dstport 2>/dev/null > /tmp/pw/g.txt
P=$(sed -n 1p /tmp/pw/g.txt | cut -f2)
awk -F'\t' -v P=$P '($2==P || $9==P)' /tmp/pw/g.txt | awk -F'\t' -v P=$P -v J=$J '
{ t=$1; if (NR==1) t0=t; if (t-t0 < 1.5) next; src=$2; typ=$3 
if (src==P && typ==1) { if (rep>0 && lastack>0) { g3+= (t-lastack); n3++ } ; d=t; rep=0; lastack=0; sa=0 }
else if (src!=P && typ==1 && d>0) { rep=t; g1+=(t-d); n1++ }
else if (src==P && typ==2 && rep>0) { lastack=t; g2+=(t-rep); n2++ }
else if (src!=P && typ==2) { sack++ } }
END { printf "%s: DATA->reply %.1f us (n=%d), reply->clientACK %.1f us, clientACK->nextDATA %.1f us, server ACKs %d, cycle %.1f\n", J, g1/n1*1e6, n1, g2/n2*1e6, g3/n3*1e6, sack, (g1/n1+g2/n2+g3/n3)*1e6 }'
