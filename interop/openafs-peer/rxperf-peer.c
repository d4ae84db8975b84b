/*
 * rxperf-peer: an rxperf-compatible server and client built on OpenAFS's Rx
 * library (libafsrpc), with null security, or rxkad with -k KEYDIR (an OpenAFS
 * server configuration directory: KeyFile and/or KeyFileExt, ThisCell,
 * CellServDB) through OpenAFS's own libauth calls.  It is the reference peer
 * the rxrpc-spring interop tests talk to.
 *
 * Written for rxrpc-spring; the wire protocol (service 147, version 3,
 * opcodes SEND 0 / RECV 1 / RPC 3 / FILE 4, cookie 0x4711) follows the
 * description in the project's protocol notes.  No OpenAFS code is copied.
 *
 *   rxperf-peer server [-p PORT] [-j] [-u UDPBUFBYTES] [-a BINDADDR] [-P]
 *                      [-k KEYDIR]
 *   rxperf-peer client -c rpc|send|recv|file [-s HOST] [-p PORT] [-t THREADS]
 *                      [-b BYTES] [-n TIMES] [-d SECONDS] [-j] [-u BYTES]
 *                      [-S SENDBYTES] [-R RECVBYTES] [--cookie] [-P] [--json]
 *                      [--allow-remote] [-k KEYDIR [-l clear|auth|crypt]]
 *
 * Build: see build.sh (links libafsauthent.a and libafsrpc.a from
 * libopenafs-dev).
 */

#include <afs/param.h>

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rx/rx.h>
#include <rx/rx_globals.h>
#include <rx/rx_null.h>
#include <rx/rxkad.h>
#include <afs/cellconfig.h>

#define PERF_PORT 7009
#define PERF_SERVICE 147
#define PERF_VERSION 3
#define OP_SEND 0
#define OP_RECV 1
#define OP_RPC 3
#define OP_FILE 4
#define PERF_COOKIE 0x4711
#define MAX_CHUNK (512 * 1024)
#define MAX_THREADS 1024
#define CALLS_PER_CONN 4 /* RX_MAXCALLS: one connection carries 4 calls at once */

/* Data we send is all zeros (one read-only buffer serves every thread), or with -P a pattern. */
static const char zeros[MAX_CHUNK];

/*
 * -P: the data of each direction of a call is pattern(0), pattern(1), ... and what arrives is checked against it,
 * so that corruption, loss or reordering on the way shows up.  rxperf itself ignores the content, so a peer
 * without -P still interoperates (it just does not check).
 */
static int use_pattern;

static unsigned char pattern(uint64_t k)
{
    uint32_t w = (uint32_t)(k >> 2) * 2654435761u; /* 0x9E3779B1 */
    w ^= w >> 15;
    return (unsigned char)(w >> (8 * (k & 3)));
}

/* One direction of a call's data: how far it got. */
struct stream {
    uint64_t off;
};

/* A MAX_CHUNK buffer per thread (Rx server threads are pooled, so it is allocated once per thread). */
static __thread char *thread_buf;

static char *chunk_buf(void)
{
    if (thread_buf == NULL && (thread_buf = malloc(MAX_CHUNK)) == NULL) {
        fprintf(stderr, "rxperf-peer: out of memory\n");
        exit(2);
    }
    return thread_buf;
}

static void die(const char *what)
{
    fprintf(stderr, "rxperf-peer: %s\n", what);
    exit(2);
}

static int parse_int(const char *s, const char *name)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 0);
    if (errno != 0 || end == s || v < 0 || v > 0x7fffffffL) {
        fprintf(stderr, "rxperf-peer: bad value for %s: %s\n", name, s);
        exit(2);
    }
    /* k/m/g suffixes for byte counts: 10m = 10 MiB */
    if (*end == 'k' || *end == 'K')
        v *= 1024L, end++;
    else if (*end == 'm' || *end == 'M')
        v *= 1024L * 1024L, end++;
    else if (*end == 'g' || *end == 'G')
        v *= 1024L * 1024L * 1024L, end++;
    if (*end != '\0' || v > 0x7fffffffL) {
        fprintf(stderr, "rxperf-peer: bad value for %s: %s\n", name, s);
        exit(2);
    }
    return (int)v;
}

/* ---- small helpers over rx_Read / rx_Write ---------------------------- */

static int put_u32(struct rx_call *call, afs_uint32 v)
{
    afs_uint32 be = htonl(v);
    return rx_Write(call, (char *)&be, 4) == 4 ? 0 : -1;
}

static int get_u32(struct rx_call *call, afs_uint32 *v)
{
    afs_uint32 be;
    if (rx_Read(call, (char *)&be, 4) != 4)
        return -1;
    *v = ntohl(be);
    return 0;
}

/* Reads exactly n bytes in pieces of at most chunk bytes; with -P checks them against the pattern. */
static int drain(struct rx_call *call, struct stream *st, int chunk, afs_int32 n)
{
    char *buf = chunk_buf();

    while (n > 0) {
        int want = n < chunk ? n : chunk, i;
        if (rx_Read(call, buf, want) != want)
            return -1;
        if (use_pattern) {
            for (i = 0; i < want; i++) {
                if ((unsigned char)buf[i] != pattern(st->off + i)) {
                    fprintf(stderr, "rxperf-peer: data mismatch at offset %llu: got 0x%02x, expected 0x%02x\n",
                            (unsigned long long)(st->off + i), (unsigned char)buf[i], pattern(st->off + i));
                    return -1;
                }
            }
        }
        st->off += want;
        n -= want;
    }
    return 0;
}

/* Writes n bytes (zeros, or with -P the pattern) in pieces of at most chunk bytes. */
static int fill(struct rx_call *call, struct stream *st, int chunk, afs_int32 n)
{
    while (n > 0) {
        int want = n < chunk ? n : chunk, i;
        char *data = (char *)zeros;
        if (use_pattern) {
            data = chunk_buf();
            for (i = 0; i < want; i++)
                data[i] = (char)pattern(st->off + i);
        }
        if (rx_Write(call, data, want) != want)
            return -1;
        st->off += want;
        n -= want;
    }
    return 0;
}

static int sane_chunk(afs_uint32 c)
{
    if (c == 0 || c > MAX_CHUNK)
        return MAX_CHUNK;
    return (int)c;
}

/* ---- server ------------------------------------------------------------ */

/*
 * After the request data a client may or may not send the 4-byte cookie
 * (OpenAFS's rxperf does not, some other clients do).  Read to the end of
 * the request: nothing, or exactly the cookie, is accepted.
 */
static int accept_optional_cookie(struct rx_call *call)
{
    unsigned char tail[8];
    int got = 0, n;

    while (got < (int)sizeof(tail)) {
        n = rx_Read(call, (char *)tail + got, sizeof(tail) - got);
        if (n <= 0)
            break;
        got += n;
    }
    if (rx_Error(call) != 0)
        return -1;
    if (got == 0)
        return 0;
    if (got == 4) {
        afs_uint32 v;
        memcpy(&v, tail, 4);
        if (ntohl(v) == PERF_COOKIE)
            return 0;
    }
    fprintf(stderr, "rxperf-peer: %d unexpected bytes after the request\n", got);
    return -1;
}

static int report_security;
static void note_security(struct rx_call *call);

static afs_int32 serve_call(struct rx_call *call)
{
    afs_uint32 version, op, rsize, wsize, a, b;
    struct stream in = {0}, out = {0};
    int rchunk, wchunk;

    if (report_security)
        note_security(call);

    if (get_u32(call, &version) || get_u32(call, &op) || get_u32(call, &rsize)
        || get_u32(call, &wsize))
        return -1;
    if (version != PERF_VERSION) {
        fprintf(stderr, "rxperf-peer: client sent version %u\n", version);
        return -1;
    }
    if (rsize > MAX_CHUNK || wsize > MAX_CHUNK) {
        fprintf(stderr, "rxperf-peer: chunk sizes %u/%u exceed %d\n", rsize, wsize, MAX_CHUNK);
        return -1;
    }
    rchunk = sane_chunk(rsize);
    wchunk = sane_chunk(wsize);

    switch (op) {
    case OP_SEND: /* bytes, data  ->  cookie */
        if (get_u32(call, &a) || (afs_int32)a < 0)
            return -1;
        if (drain(call, &in, rchunk, a) || accept_optional_cookie(call) || put_u32(call, PERF_COOKIE))
            return -1;
        return 0;
    case OP_RECV: /* bytes  ->  data, cookie */
        if (get_u32(call, &a) || (afs_int32)a < 0)
            return -1;
        if (accept_optional_cookie(call) || fill(call, &out, wchunk, a) || put_u32(call, PERF_COOKIE))
            return -1;
        return 0;
    case OP_RPC: /* sendbytes, recvbytes, sendbytes of data  ->  recvbytes of data, cookie */
        if (get_u32(call, &a) || get_u32(call, &b) || (afs_int32)a < 0 || (afs_int32)b < 0)
            return -1;
        if (drain(call, &in, rchunk, a) || accept_optional_cookie(call) || fill(call, &out, wchunk, b)
            || put_u32(call, PERF_COOKIE))
            return -1;
        return 0;
    case OP_FILE: { /* n, n phase lengths in words; a zero entry flips direction; no cookie */
        afs_uint32 n, i, *phases;
        int reading = 1, rc = 0;
        if (get_u32(call, &n) || n > 65536)
            return -1;
        if ((phases = calloc(n ? n : 1, sizeof(*phases))) == NULL)
            return -1;
        for (i = 0; i < n && rc == 0; i++)
            rc = get_u32(call, &phases[i]);
        for (i = 0; i < n && rc == 0; i++) {
            if (phases[i] == 0)
                reading = !reading;
            if (phases[i] > 0x1fffffff)
                rc = -1;
            else if (reading)
                rc = drain(call, &in, rchunk, (afs_int32)phases[i] * 4);
            else
                rc = fill(call, &out, wchunk, (afs_int32)phases[i] * 4);
        }
        free(phases);
        return rc ? -1 : 0;
    }
    default:
        fprintf(stderr, "rxperf-peer: unknown opcode %u\n", op);
        return -1;
    }
}

static const char server_usage[] =
    "usage: rxperf-peer server [-p PORT] [-j] [-u UDPBUFBYTES] [-a BINDADDR (default 127.0.0.1)] [-P] [-k KEYDIR] [-W WINDOWPACKETS]";

/*
 * With -k, the first call of each kind (rxnull, rxkad clear/auth/crypt) is reported on stdout, so that a test can
 * see which security its calls arrived with:  "rxperf-peer: call index 2 level crypt from afs kvno 213".
 */
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static int seen[4];

static void note_security(struct rx_call *call)
{
    struct rx_connection *conn = rx_ConnectionOf(call);
    int index = rx_SecurityClassOf(conn), slot, fresh;
    rxkad_level level = rxkad_clear;
    afs_uint32 expires = 0;
    afs_int32 kvno = 0;
    char name[MAXKTCNAMELEN] = "", inst[MAXKTCNAMELEN] = "", cell[MAXKTCREALMLEN] = "";

    if (index == 2 || index == 3) {
        if (rxkad_GetServerInfo(conn, &level, &expires, name, inst, cell, &kvno) != 0)
            return;
        slot = 1 + (int)level;
    } else {
        slot = 0;
    }
    if (slot < 0 || slot > 3)
        return;
    pthread_mutex_lock(&seen_lock);
    fresh = !seen[slot];
    seen[slot] = 1;
    pthread_mutex_unlock(&seen_lock);
    if (!fresh)
        return;
    if (slot == 0)
        printf("rxperf-peer: call index %d (rxnull)\n", index);
    else
        printf("rxperf-peer: call index %d level %s from %s%s%s%s%s kvno %d\n", index,
               level == rxkad_crypt ? "crypt" : level == rxkad_auth ? "auth" : "clear", name, inst[0] ? "." : "",
               inst, cell[0] ? "@" : "", cell, (int)kvno);
    fflush(stdout);
}

/* Opens an OpenAFS configuration directory (KeyFile/KeyFileExt, ThisCell, CellServDB) or exits. */
static struct afsconf_dir *open_keydir(const char *dir)
{
    struct afsconf_dir *conf = afsconf_Open(dir);

    if (conf == NULL) {
        fprintf(stderr, "rxperf-peer: afsconf_Open(%s) failed (it needs ThisCell and CellServDB too)\n", dir);
        exit(2);
    }
    return conf;
}

/*
 * Diagnostic only (-W): OpenAFS receives at most rx_maxReceiveWindow packets beyond its hard-ACK point (32 by
 * default), so on loopback a peer sending to it is bound by that window and the receiver's turnaround. Raising it
 * shows whether a figure is limited by this receiver or by the sender; benchmarks leave it at OpenAFS's default.
 */
static void set_receive_window(int packets)
{
    if (packets < 1 || packets > 255)
        die("-W must be 1..255 packets");
    rx_SetMaxReceiveWindow(packets);
    if (rx_GetMaxReceiveWindow() != packets) {
        fprintf(stderr, "rxperf-peer: OpenAFS capped the receive window at %d packets\n", rx_GetMaxReceiveWindow());
    }
}

static int run_server(int argc, char **argv)
{
    int port = PERF_PORT, nojumbo = 0, udpbuf = 0, window = 0, ch;
    const char *bind_addr = "127.0.0.1";
    struct in_addr addr;
    struct rx_securityClass *sec, **classes = &sec;
    afs_int32 nclasses = 1;
    struct rx_service *service;
    const char *keydir = NULL;

    while ((ch = getopt(argc, argv, "p:ju:a:Pk:W:")) != -1) {
        switch (ch) {
        case 'P':
            use_pattern = 1;
            break;
        case 'k':
            keydir = optarg;
            break;
        case 'a':
            bind_addr = optarg;
            break;
        case 'W':
            window = parse_int(optarg, "-W");
            break;
        case 'p':
            port = parse_int(optarg, "-p");
            break;
        case 'j':
            nojumbo = 1;
            break;
        case 'u':
            udpbuf = parse_int(optarg, "-u");
            break;
        default:
            die(server_usage);
        }
    }
    if (optind != argc || port <= 0 || port > 65535)
        die(server_usage);

    if (inet_pton(AF_INET, bind_addr, &addr) != 1)
        die("-a needs a dotted IPv4 address");

    if (udpbuf > 0)
        rx_SetUdpBufSize(udpbuf); /* only effective before rx_Init */
    if (rx_InitHost(addr.s_addr, htons((unsigned short)port)) != 0)
        die("rx_Init failed (port in use?)");
    if (nojumbo)
        rx_SetNoJumbo();
    if (window > 0)
        set_receive_window(window);

    if (keydir != NULL) {
        /* What OpenAFS's own servers do: rxnull (0), rxkad with the directory's keys (2, any level). */
        afsconf_BuildServerSecurityObjects(open_keydir(keydir), &classes, &nclasses);
        report_security = 1;
    } else {
        sec = rxnull_NewServerSecurityObject();
    }
    service = rx_NewService(0, PERF_SERVICE, "rxperf", classes, nclasses, serve_call);
    if (service == NULL)
        die("rx_NewService failed");
    rx_SetMinProcs(service, 2);
    rx_SetMaxProcs(service, 64);
    rx_SetCheckReach(service, 1);

    printf("rxperf-peer: server listening on %s port %d (jumbo %s, udpbuf %d, data %s, security %s)\n", bind_addr,
           port, nojumbo ? "off" : "on", udpbuf, use_pattern ? "pattern" : "zeros", keydir ? "rxnull+rxkad" : "rxnull");
    fflush(stdout);
    rx_StartServer(1); /* donates this thread; never returns */
    return 0;
}

/* ---- client ------------------------------------------------------------ */

struct job {
    int op;
    afs_int32 bytes, sendbytes, recvbytes;
    int times;
    double deadline; /* monotonic seconds; 0 = run `times` calls */
    int send_cookie;
};

struct worker {
    pthread_t tid;
    struct rx_connection *conn;
    const struct job *job;
    double *lat_us;
    size_t nlat, cap;
    long errors;
    int first_error;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Words for the FILE phases: bytes rounded up to a multiple of 4. */
static afs_uint32 words(afs_int32 bytes)
{
    return ((afs_uint32)bytes + 3) / 4;
}

/* One call; returns 0 or an error code (Rx's when there is one, else -1). */
static int one_call(struct worker *w)
{
    const struct job *j = w->job;
    struct rx_call *call = rx_NewCall(w->conn);
    struct stream in = {0}, out = {0};
    afs_uint32 cookie = 0;
    int bad = 0, code;

    if (call == NULL)
        return -1;
    if (put_u32(call, PERF_VERSION) || put_u32(call, j->op) || put_u32(call, MAX_CHUNK)
        || put_u32(call, MAX_CHUNK)) {
        bad = 1;
        goto end;
    }
    switch (j->op) {
    case OP_SEND:
        bad = put_u32(call, j->bytes) || fill(call, &out, MAX_CHUNK, j->bytes)
              || (j->send_cookie && put_u32(call, PERF_COOKIE)) || get_u32(call, &cookie)
              || cookie != PERF_COOKIE;
        break;
    case OP_RECV:
        bad = put_u32(call, j->bytes) || (j->send_cookie && put_u32(call, PERF_COOKIE))
              || drain(call, &in, MAX_CHUNK, j->bytes) || get_u32(call, &cookie)
              || cookie != PERF_COOKIE;
        break;
    case OP_RPC:
        bad = put_u32(call, j->sendbytes) || put_u32(call, j->recvbytes)
              || fill(call, &out, MAX_CHUNK, j->sendbytes)
              || (j->send_cookie && put_u32(call, PERF_COOKIE))
              || drain(call, &in, MAX_CHUNK, j->recvbytes) || get_u32(call, &cookie)
              || cookie != PERF_COOKIE;
        break;
    case OP_FILE: /* phases: client sends, flip, server sends */
        bad = put_u32(call, 3) || put_u32(call, words(j->sendbytes)) || put_u32(call, 0)
              || put_u32(call, words(j->recvbytes))
              || fill(call, &out, MAX_CHUNK, (afs_int32)words(j->sendbytes) * 4)
              || drain(call, &in, MAX_CHUNK, (afs_int32)words(j->recvbytes) * 4);
        break;
    }
    if (!bad) {
        /* the reply must end here */
        char extra;
        if (rx_Read(call, &extra, 1) != 0)
            bad = 1;
    }
end:
    code = rx_Error(call);
    {
        int end = rx_EndCall(call, 0);
        if (code == 0)
            code = end;
    }
    if (code == 0 && bad)
        code = -1;
    return code;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    const struct job *j = w->job;
    int i;

    for (i = 0;; i++) {
        double t0, t1;
        int code;

        if (j->deadline > 0 ? now_s() >= j->deadline : i >= j->times)
            break;
        t0 = now_s();
        code = one_call(w);
        t1 = now_s();
        if (code != 0) {
            if (w->errors++ == 0)
                w->first_error = code;
            continue;
        }
        if (w->nlat == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 1024;
            w->lat_us = realloc(w->lat_us, w->cap * sizeof(double));
            if (w->lat_us == NULL)
                die("out of memory");
        }
        w->lat_us[w->nlat++] = (t1 - t0) * 1e6;
    }
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array. */
static double pct(const double *v, size_t n, double p)
{
    size_t rank;
    if (n == 0)
        return 0;
    rank = (size_t)(p * n + 0.999999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return v[rank - 1];
}

static const char *op_name(int op)
{
    switch (op) {
    case OP_SEND:
        return "send";
    case OP_RECV:
        return "recv";
    case OP_RPC:
        return "rpc";
    default:
        return "file";
    }
}

static const char client_usage[] =
    "usage: rxperf-peer client -c rpc|send|recv|file [-s HOST] [-p PORT] [-t THREADS]\n"
    "       [-b BYTES] [-n TIMES] [-d SECONDS] [-j] [-u UDPBUFBYTES] [-S SENDBYTES]\n"
    "       [-R RECVBYTES] [--cookie] [-P] [-L LINGERMS] [--json] [--allow-remote] [-k KEYDIR [-l clear|auth|crypt]]\n"
    "       [-W WINDOWPACKETS]";

/*
 * -localauth-style credentials for "afs" from the server keys of KEYDIR, as OpenAFS's tools make them.  clear and
 * crypt are what vos -localauth and pts -localauth use (afsconf_ClientAuth, afsconf_ClientAuthSecure: an rxkad-k5
 * ticket when KeyFileExt holds a key, else a DES one).  libauth has no call for the auth level, so for it the
 * ticket is made here from the newest KeyFile key, with the fields -localauth puts in one.
 */
static struct rx_securityClass *client_security(const char *keydir, int level, int *index)
{
    struct afsconf_dir *conf = open_keydir(keydir);
    struct rx_securityClass *sc = NULL;
    afs_int32 idx = 0, kvno, code, len = MAXKTCTICKETLEN;
    struct ktc_encryptionKey key, session;
    char ticket[MAXKTCTICKETLEN];

    if (level == rxkad_clear) {
        code = afsconf_ClientAuth(conf, &sc, &idx);
    } else if (level == rxkad_crypt) {
        code = afsconf_ClientAuthSecure(conf, &sc, &idx);
    } else {
        code = afsconf_GetLatestKey(conf, &kvno, &key);
        if (code == 0) {
            FILE *rnd = fopen("/dev/urandom", "rb");
            if (rnd == NULL || fread(session.data, 1, 8, rnd) != 8)
                die("cannot read /dev/urandom");
            fclose(rnd);
            code = tkt_MakeTicket(ticket, &len, &key, "afs", "", "", 0, 0xffffffff, &session, 0, "afs", "");
        }
        if (code == 0) {
            sc = rxkad_NewClientSecurityObject(rxkad_auth, &session, kvno, len, ticket);
            idx = RX_SECIDX_KAD;
        }
    }
    if (code != 0 || sc == NULL || idx != RX_SECIDX_KAD) {
        fprintf(stderr, "rxperf-peer: no rxkad credentials from %s (code %d, index %d)\n", keydir, (int)code,
                (int)idx);
        exit(2);
    }
    *index = idx;
    return sc;
}

static int run_client(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'J'},
        {"allow-remote", no_argument, NULL, 'A'},
        {"cookie", no_argument, NULL, 'C'},
        {NULL, 0, NULL, 0},
    };
    const char *host = "127.0.0.1";
    int port = PERF_PORT, threads = 1, times = 100, seconds = 0, nojumbo = 0, udpbuf = 0;
    int json = 0, allow_remote = 0, ch, i, sent_s = 0, sent_r = 0, linger_ms = 0, window = 0;
    struct job job = {.op = -1, .bytes = 1024 * 1024, .sendbytes = 3, .recvbytes = 30};
    struct in_addr addr;
    struct rx_securityClass *sec;
    int sec_index = 0, level = rxkad_clear, level_set = 0;
    const char *keydir = NULL;
    struct rx_connection **conns;
    struct worker *workers;
    double t0, elapsed, *all;
    size_t total = 0;
    long errors = 0;
    int first_error = 0;
    double payload;

    while ((ch = getopt_long(argc, argv, "c:s:p:t:b:n:d:ju:S:R:Pk:l:L:W:", longopts, NULL)) != -1) {
        switch (ch) {
        case 'P':
            use_pattern = 1;
            break;
        case 'c':
            if (strcmp(optarg, "rpc") == 0)
                job.op = OP_RPC;
            else if (strcmp(optarg, "send") == 0)
                job.op = OP_SEND;
            else if (strcmp(optarg, "recv") == 0)
                job.op = OP_RECV;
            else if (strcmp(optarg, "file") == 0)
                job.op = OP_FILE;
            else
                die(client_usage);
            break;
        case 's':
            host = optarg;
            break;
        case 'p':
            port = parse_int(optarg, "-p");
            break;
        case 't':
            threads = parse_int(optarg, "-t");
            break;
        case 'b':
            job.bytes = parse_int(optarg, "-b");
            break;
        case 'n':
            times = parse_int(optarg, "-n");
            break;
        case 'd':
            seconds = parse_int(optarg, "-d");
            break;
        case 'j':
            nojumbo = 1;
            break;
        case 'u':
            udpbuf = parse_int(optarg, "-u");
            break;
        case 'S':
            job.sendbytes = parse_int(optarg, "-S");
            sent_s = 1;
            break;
        case 'R':
            job.recvbytes = parse_int(optarg, "-R");
            sent_r = 1;
            break;
        case 'C':
            job.send_cookie = 1;
            break;
        case 'L':
            linger_ms = parse_int(optarg, "-L");
            break;
        case 'W':
            window = parse_int(optarg, "-W");
            break;
        case 'k':
            keydir = optarg;
            break;
        case 'l':
            level_set = 1;
            if (strcmp(optarg, "clear") == 0)
                level = rxkad_clear;
            else if (strcmp(optarg, "auth") == 0)
                level = rxkad_auth;
            else if (strcmp(optarg, "crypt") == 0)
                level = rxkad_crypt;
            else
                die("-l must be clear, auth or crypt");
            break;
        case 'J':
            json = 1;
            break;
        case 'A':
            allow_remote = 1;
            break;
        default:
            die(client_usage);
        }
    }
    if (optind != argc || job.op < 0 || threads < 1 || threads > MAX_THREADS || port <= 0
        || port > 65535)
        die(client_usage);
    if (job.op == OP_FILE) {
        /* FILE moves -b bytes each way unless -S / -R say otherwise */
        if (!sent_s)
            job.sendbytes = job.bytes;
        if (!sent_r)
            job.recvbytes = job.bytes;
        if (job.sendbytes > 0x7ffffff0 || job.recvbytes > 0x7ffffff0)
            die("FILE sizes too large");
    }
    if (level_set && keydir == NULL)
        die("-l needs -k KEYDIR");
    if (inet_pton(AF_INET, host, &addr) != 1)
        die("-s needs a dotted IPv4 address");
    if (!allow_remote && (ntohl(addr.s_addr) >> 24) != 127)
        die("refusing a non-loopback server address without --allow-remote");

    if (udpbuf > 0)
        rx_SetUdpBufSize(udpbuf); /* only effective before rx_Init */
    if (rx_Init(0) != 0)
        die("rx_Init failed");
    if (nojumbo)
        rx_SetNoJumbo();
    if (window > 0)
        set_receive_window(window);

    if (keydir != NULL)
        sec = client_security(keydir, level, &sec_index);
    else
        sec = rxnull_NewClientSecurityObject();
    conns = calloc((threads + CALLS_PER_CONN - 1) / CALLS_PER_CONN, sizeof(*conns));
    workers = calloc(threads, sizeof(*workers));
    if (conns == NULL || workers == NULL)
        die("out of memory");
    for (i = 0; i < (threads + CALLS_PER_CONN - 1) / CALLS_PER_CONN; i++) {
        conns[i] = rx_NewConnection(addr.s_addr, htons((unsigned short)port), PERF_SERVICE, sec, sec_index);
        if (conns[i] == NULL)
            die("rx_NewConnection failed");
    }

    t0 = now_s();
    job.times = times;
    job.deadline = seconds > 0 ? t0 + seconds : 0;
    for (i = 0; i < threads; i++) {
        workers[i].conn = conns[i / CALLS_PER_CONN];
        workers[i].job = &job;
        if (pthread_create(&workers[i].tid, NULL, worker_main, &workers[i]) != 0)
            die("pthread_create failed");
    }
    for (i = 0; i < threads; i++)
        pthread_join(workers[i].tid, NULL);
    elapsed = now_s() - t0;

    for (i = 0; i < threads; i++) {
        total += workers[i].nlat;
        if (workers[i].errors && !errors)
            first_error = workers[i].first_error;
        errors += workers[i].errors;
    }
    all = malloc((total ? total : 1) * sizeof(double));
    if (all == NULL)
        die("out of memory");
    total = 0;
    for (i = 0; i < threads; i++) {
        memcpy(all + total, workers[i].lat_us, workers[i].nlat * sizeof(double));
        total += workers[i].nlat;
    }
    qsort(all, total, sizeof(double), cmp_double);

    switch (job.op) {
    case OP_SEND:
    case OP_RECV:
        payload = (double)job.bytes;
        break;
    case OP_FILE:
        payload = 4.0 * words(job.sendbytes) + 4.0 * words(job.recvbytes);
        break;
    default:
        payload = (double)job.sendbytes + job.recvbytes;
    }
    payload *= (double)total;
    if (elapsed <= 0)
        elapsed = 1e-9;

    if (json) {
        /* The same field names as our Java client's --json line, so one parser reads both. */
        printf("{\"tool\":\"rxperf-c\",\"command\":\"%s\",\"threads\":%d,\"jumbo\":%s,\"calls\":%zu,"
               "\"seconds\":%.6f,\"callsPerSec\":%.1f,\"p50Us\":%.1f,\"p90Us\":%.1f,"
               "\"p99Us\":%.1f,\"maxUs\":%.1f,\"mbPerSec\":%.3f,\"totalBytes\":%.0f,\"errors\":%ld}\n",
               op_name(job.op), threads, nojumbo ? "false" : "true", total, elapsed, total / elapsed,
               pct(all, total, 0.50), pct(all, total, 0.90), pct(all, total, 0.99), total ? all[total - 1] : 0.0,
               payload / elapsed / 1e6, payload, errors);
    } else {
        printf("%s: threads %d, calls %zu, errors %ld, %.3f s\n", op_name(job.op), threads, total,
               errors, elapsed);
        printf("  %.1f calls/s, %.3f MB/s\n", total / elapsed, payload / elapsed / 1e6);
        printf("  latency us: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n", pct(all, total, 0.50),
               pct(all, total, 0.90), pct(all, total, 0.99), total ? all[total - 1] : 0.0);
    }
    fflush(stdout);
    if (errors)
        fprintf(stderr, "rxperf-peer: %ld failed calls (first error code %d)\n", errors, first_error);

    /* -L: stay alive a while, as a long-running client does. Rx's listener thread ACKs a reply after it has
     * woken the reader, so a process that exits right after its last rx_EndCall can take that ACK with it
     * (seen with strace: the reply's recvmsg, exit_group 9 ms later, no sendmsg), and the server never
     * learns that the last reply of the channel arrived. */
    if (linger_ms > 0)
        usleep((useconds_t)linger_ms * 1000);
    for (i = 0; i < (threads + CALLS_PER_CONN - 1) / CALLS_PER_CONN; i++)
        rx_DestroyConnection(conns[i]);
    rx_Finalize();
    return errors ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "server") == 0)
        return run_server(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "client") == 0)
        return run_client(argc - 1, argv + 1);
    fprintf(stderr, "%s\n%s\n", server_usage, client_usage);
    return 2;
}
