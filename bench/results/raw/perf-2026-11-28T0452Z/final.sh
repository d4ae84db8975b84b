#!/bin/bash
cd /tmp/perf2
./ab.sh final /tmp/perf/rxperf-base.jar /tmp/perf2/rxperf-v2.jar 3 "1 8 64" 3 > final-srv.txt 2>&1
./abc.sh final /tmp/perf/rxperf-base.jar /tmp/perf2/rxperf-v2.jar 3 "1 8 64" 3 > final-cli.txt 2>&1
./abb.sh finalj /tmp/perf/rxperf-base.jar /tmp/perf2/rxperf-v2.jar 2 512m 1 > final-bulkj.txt 2>&1
./abb.sh finalnj /tmp/perf/rxperf-base.jar /tmp/perf2/rxperf-v2.jar 2 256m 0 > final-bulknj.txt 2>&1
echo done > final.done
