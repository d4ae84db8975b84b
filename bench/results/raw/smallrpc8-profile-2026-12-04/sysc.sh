#!/bin/bash
JAR=$1; TAG=$2; PORT=7312
java -jar $JAR server -p $PORT -u 4194304 > srvs-$TAG.log 2>&1 &
SP=$!
sleep 3
/work/main/bench/target/rxperf-peer client -s 127.0.0.1 -p $PORT -u 4194304 --json -c rpc -t 8 -d 10 > /dev/null 2>&1
/work/main/bench/target/rxperf-peer client -s 127.0.0.1 -p $PORT -u 4194304 --json -c rpc -t 8 -d 8 > runs-$TAG.json 2>/dev/null &
CP=$!
sleep 2
perf stat -e 'syscalls:sys_enter_recvmmsg,syscalls:sys_enter_recvmsg,syscalls:sys_enter_sendmmsg,syscalls:sys_enter_sendto,syscalls:sys_enter_sendmsg,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_epoll_pwait2,syscalls:sys_enter_getsockopt,syscalls:sys_enter_write,syscalls:sys_enter_read,syscalls:sys_enter_futex' -p $SP -- sleep 5 2>&1 | grep -v "^$"
wait $CP
kill $SP; wait $SP
cat runs-$TAG.json
