/*
 * udpblast: the raw UDP ceiling on this machine, for the benchmark harness.  One sender thread sends datagrams of
 * SIZE bytes to one receiver thread over loopback as fast as sendto allows for SECONDS; the receiver counts what
 * arrives.  Prints one JSON line: datagrams/s and MB/s received (10^6 B/s), and the loss.
 *
 *   udpblast [-s SIZE] [-d SECONDS] [-u SOCKBUF] [-g SEGMENTS]
 *
 * With -g, each send carries SEGMENTS datagrams of SIZE bytes as one UDP GSO (UDP_SEGMENT) write, which the kernel
 * splits into separate datagrams: the ceiling for a sender that uses GSO, with a receiver that still reads one
 * datagram at a time.
 *
 * This is the ceiling any user-space Rx implementation can approach with datagrams of that size: it does no
 * protocol work at all.  Written for rxrpc-spring.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int size = 1444;
static double seconds = 3.0;
static int sockbuf = 4 * 1024 * 1024;
static int segments = 1;
static atomic_int stop;
static long long sent, received;
static int rx_fd, tx_fd;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *receiver(void *arg)
{
    char *buf = malloc(65536);
    (void)arg;
    while (!atomic_load(&stop)) {
        ssize_t n = recv(rx_fd, buf, 65536, 0);
        if (n == (ssize_t)size)
            received++;
    }
    free(buf);
    return NULL;
}

int main(int argc, char **argv)
{
    int ch;
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    pthread_t t;
    struct timeval tv = {0, 100000};
    char *buf;
    double t0, t1, end;

    while ((ch = getopt(argc, argv, "s:d:u:g:")) != -1) {
        switch (ch) {
        case 's': size = atoi(optarg); break;
        case 'd': seconds = atof(optarg); break;
        case 'u': sockbuf = atoi(optarg); break;
        case 'g': segments = atoi(optarg); break;
        default:
            fprintf(stderr, "usage: udpblast [-s SIZE] [-d SECONDS] [-u SOCKBUF] [-g SEGMENTS]\n");
            return 2;
        }
    }
    if (size < 1 || size > 65507) {
        fprintf(stderr, "udpblast: size must be 1..65507\n");
        return 2;
    }
    if (segments < 1 || segments > 64 || (long)segments * size > 65507) {
        fprintf(stderr, "udpblast: -g needs 1..64 segments of at most 65507 bytes in all\n");
        return 2;
    }
    rx_fd = socket(AF_INET, SOCK_DGRAM, 0);
    tx_fd = socket(AF_INET, SOCK_DGRAM, 0);
    setsockopt(rx_fd, SOL_SOCKET, SO_RCVBUF, &sockbuf, sizeof(sockbuf));
    setsockopt(tx_fd, SOL_SOCKET, SO_SNDBUF, &sockbuf, sizeof(sockbuf));
    setsockopt(rx_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(rx_fd, (struct sockaddr *)&a, sizeof(a)) < 0 || getsockname(rx_fd, (struct sockaddr *)&a, &len) < 0) {
        perror("udpblast: bind");
        return 1;
    }
    if (connect(tx_fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        perror("udpblast: connect");
        return 1;
    }
    if (segments > 1) {
        int gso = size;
        if (setsockopt(tx_fd, SOL_UDP, UDP_SEGMENT, &gso, sizeof(gso)) < 0) {
            perror("udpblast: UDP_SEGMENT");
            return 1;
        }
    }
    buf = calloc(segments, size);
    pthread_create(&t, NULL, receiver, NULL);
    t0 = now();
    end = t0 + seconds;
    while (1) {
        int i;
        for (i = 0; i < 64; i++) {
            if (send(tx_fd, buf, (size_t)size * segments, 0) == (ssize_t)size * segments)
                sent += segments;
        }
        if (now() >= end)
            break;
    }
    t1 = now();
    usleep(200000); /* let the receiver drain its socket buffer */
    atomic_store(&stop, 1);
    pthread_join(t, NULL);
    printf("{\"tool\":\"udpblast\",\"size\":%d,\"gsoSegments\":%d,\"seconds\":%.3f,\"sent\":%lld,\"received\":%lld,"
           "\"pktPerSec\":%.0f,\"mbPerSec\":%.1f,\"lossPct\":%.2f}\n",
           size, segments, t1 - t0, sent, received, received / (t1 - t0), received * (double)size / (t1 - t0) / 1e6,
           sent ? 100.0 * (sent - received) / sent : 0.0);
    return 0;
}
