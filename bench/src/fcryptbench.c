/*
 * fcryptbench: OpenAFS's own fcrypt (libafsrpc, the code rxkad's crypt level runs per packet) timed on a buffer,
 * to set beside FcryptBenchmark (JMH) for our Java fcrypt. Prints one JSON line.
 *
 *   gcc -O2 -o fcryptbench bench/src/fcryptbench.c /usr/lib/libafsrpc.a -l:libhcrypto.so.5 -l:libroken.so.19 -lpthread
 *   fcryptbench [BYTES [SECONDS]]     (BYTES a multiple of 8; default 1408, the crypt payload of a 1444 B packet)
 *
 * The prototypes are libafsrpc's exported ABI (no public header declares them): a key schedule is 16 32-bit
 * words; fc_cbc_encrypt chains through, and updates, the 8-byte IV it is given.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int32_t sched_t[16];
extern int fc_keysched(void *key, sched_t schedule);
extern int32_t fc_cbc_encrypt(void *input, void *output, int32_t length, const sched_t key, uint32_t *iv,
                              int encrypt);
/* fcrypt counts its work in rxkad's per-thread statistics, whose key only Rx's initialisation creates. */
extern int rx_InitHost(uint32_t host, uint16_t port);

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double run(unsigned char *buf, int len, const sched_t s, int encrypt, double secs, long *ops) {
    double t0 = now(), t;
    long n = 0;
    do {
        for (int i = 0; i < 256; i++) {
            uint32_t iv[2] = {0x01234567, 0x89abcdef};
            fc_cbc_encrypt(buf, buf, len, s, iv, encrypt);
        }
        n += 256;
        t = now();
    } while (t - t0 < secs);
    *ops = n;
    return t - t0;
}

int main(int argc, char **argv) {
    int len = argc > 1 ? atoi(argv[1]) : 1408;
    double secs = argc > 2 ? atof(argv[2]) : 2.0;
    if (len <= 0 || len % 8 != 0) {
        fprintf(stderr, "fcryptbench: BYTES must be a positive multiple of 8\n");
        return 2;
    }
    unsigned char key[8] = {0x31, 0x4f, 0x9d, 0x2c, 0x85, 0x6b, 0xe0, 0x17};
    sched_t s;
    if (rx_InitHost(htonl(INADDR_LOOPBACK), 0) != 0) { /* loopback, any port: it sends nothing */
        fprintf(stderr, "fcryptbench: rx_InitHost failed\n");
        return 1;
    }
    fc_keysched(key, s);
    unsigned char *buf = malloc(len);
    for (int i = 0; i < len; i++) buf[i] = (unsigned char) (i * 7);
    long ne, nd;
    run(buf, len, s, 1, 0.3, &ne); /* warm the caches and the CPU clock */
    double te = run(buf, len, s, 1, secs, &ne);
    double td = run(buf, len, s, 0, secs, &nd);
    printf("{\"tool\":\"fcryptbench\",\"bytes\":%d,\"encryptNsPerOp\":%.1f,\"decryptNsPerOp\":%.1f,"
           "\"encryptMBps\":%.1f,\"decryptMBps\":%.1f}\n",
           len, te * 1e9 / ne, td * 1e9 / nd, (double) len * ne / te / 1e6, (double) len * nd / td / 1e6);
    free(buf);
    return 0;
}
