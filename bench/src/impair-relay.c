/*
 * impair-relay: a deterministic impairment relay for UDP, so that Rx implementations can be compared across a
 * lossy, slow link without netem (this kernel has none).  Clients send to the relay's port; for each client
 * address the relay opens its own upstream socket to the target, so the target sees one peer per client and its
 * replies find their way back.  Each datagram, in each direction, independently:
 *   - is dropped with probability LOSS %,
 *   - is otherwise delivered DELAY ms later (plus JITTER ms for a REORDER % fraction, which reorders it),
 *   - and with probability DUP % is delivered twice.
 * The random decisions come from a seeded xorshift generator per direction, so a run with the same seed and the
 * same packet sequence makes the same decisions.  Loss applies to whole datagrams (a jumbogram is lost as a whole).
 *
 *   impair-relay -l LISTENPORT -t TARGETPORT [-a ADDR (127.0.0.1)] [-T TARGETADDR (ADDR)] [-b UPSTREAMADDR]
 *                [-d DELAYMS] [-L LOSSPCT] [-r REORDERPCT] [-j JITTERMS] [-D DUPPCT] [-s SEED]
 *
 * -a is the address clients send to, -T the target's address, -b the source address of the upstream sockets
 * (ADDR when the target is ADDR, else any).  With -a/-T/-b the relay can sit in a network namespace between two
 * others (bench/harness.py's lossy link), reached on one veth and reaching the target on another.
 * On SIGTERM/SIGINT it prints one JSON line of counters and exits.  Addresses outside 127/8 are refused unless the
 * relay runs in a network namespace other than its parent's (ip netns exec), so it never uses the machine's interfaces.
 * Written for rxrpc-spring.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 64
#define MAX_DGRAM 65536

struct pkt {
    uint64_t due_ns;
    uint64_t order; /* tie-break: FIFO among packets due at the same time */
    int fd;         /* socket to send from */
    struct sockaddr_in to;
    int len;
    char *data;
};

struct client {
    struct sockaddr_in addr;
    int up_fd;
};

/* Direction 0: client -> target, 1: target -> client. */
struct dir {
    uint64_t rng;
    long long in, out, dropped, duplicated, reordered;
};

static struct pkt *heap;
static size_t heap_n, heap_cap;
static uint64_t order_counter;
static struct client clients[MAX_CLIENTS];
static int nclients;
static struct dir dirs[2];
static volatile sig_atomic_t stop;
static double loss_pct, reorder_pct, dup_pct;
static uint64_t delay_ns, jitter_ns;
static int sockbuf = 4 * 1024 * 1024;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* xorshift64*: small, fast, and the same sequence for the same seed everywhere. */
static double uniform(struct dir *d)
{
    d->rng ^= d->rng >> 12;
    d->rng ^= d->rng << 25;
    d->rng ^= d->rng >> 27;
    return (double)((d->rng * 2685821657736338717ull) >> 11) / 9007199254740992.0 * 100.0;
}

static int earlier(const struct pkt *a, const struct pkt *b)
{
    return a->due_ns < b->due_ns || (a->due_ns == b->due_ns && a->order < b->order);
}

static void heap_push(struct pkt p)
{
    size_t i;
    if (heap_n == heap_cap) {
        heap_cap = heap_cap ? heap_cap * 2 : 1024;
        heap = realloc(heap, heap_cap * sizeof(*heap));
        if (!heap) {
            fprintf(stderr, "impair-relay: out of memory\n");
            exit(1);
        }
    }
    i = heap_n++;
    while (i > 0 && earlier(&p, &heap[(i - 1) / 2])) {
        heap[i] = heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    heap[i] = p;
}

static struct pkt heap_pop(void)
{
    struct pkt top = heap[0], last = heap[--heap_n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= heap_n)
            break;
        if (c + 1 < heap_n && earlier(&heap[c + 1], &heap[c]))
            c++;
        if (!earlier(&heap[c], &last))
            break;
        heap[i] = heap[c];
        i = c;
    }
    if (heap_n)
        heap[i] = last;
    return top;
}

static void enqueue(int d, int fd, const struct sockaddr_in *to, const char *data, int len, uint64_t t)
{
    struct dir *dir = &dirs[d];
    int copies = 1, k;
    dir->in++;
    if (uniform(dir) < loss_pct) {
        dir->dropped++;
        return;
    }
    if (dup_pct > 0 && uniform(dir) < dup_pct) {
        copies = 2;
        dir->duplicated++;
    }
    for (k = 0; k < copies; k++) {
        struct pkt p;
        p.due_ns = t + delay_ns;
        if (reorder_pct > 0 && uniform(dir) < reorder_pct) {
            p.due_ns += jitter_ns;
            dir->reordered++;
        }
        p.order = order_counter++;
        p.fd = fd;
        p.to = *to;
        p.len = len;
        p.data = malloc(len ? len : 1);
        memcpy(p.data, data, len);
        heap_push(p);
        dir->out++;
    }
}

static void on_signal(int s)
{
    (void)s;
    stop = 1;
}

/* True when this process runs in a network namespace other than its parent's, as under `ip netns exec NS` started
 * by the harness (pid 1's namespace link is not readable in every container, the parent's is). */
static int in_private_netns(void)
{
    char self[64] = "", parent[64] = "", path[64];
    ssize_t a = readlink("/proc/self/ns/net", self, sizeof(self) - 1);
    ssize_t b;
    snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)getppid());
    b = readlink(path, parent, sizeof(parent) - 1);
    return a > 0 && b > 0 && strcmp(self, parent) != 0;
}

static int udp_socket(const char *addr, int port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, addr, &a.sin_addr);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sockbuf, sizeof(sockbuf));
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sockbuf, sizeof(sockbuf));
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        perror("impair-relay: bind");
        exit(1);
    }
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

int main(int argc, char **argv)
{
    const char *addr = "127.0.0.1", *target_addr = NULL, *up_addr = NULL;
    int listen_port = 0, target_port = 0, ch, lfd, i;
    uint64_t seed = 1;
    struct sockaddr_in target;
    char *buf = malloc(MAX_DGRAM);
    struct pollfd pfd[MAX_CLIENTS + 1];
    struct sigaction sa;
    sigset_t stopsigs, waitmask;

    while ((ch = getopt(argc, argv, "l:t:a:T:b:d:L:r:j:D:s:")) != -1) {
        switch (ch) {
        case 'l': listen_port = atoi(optarg); break;
        case 't': target_port = atoi(optarg); break;
        case 'a': addr = optarg; break;
        case 'T': target_addr = optarg; break;
        case 'b': up_addr = optarg; break;
        case 'd': delay_ns = (uint64_t)(atof(optarg) * 1e6); break;
        case 'L': loss_pct = atof(optarg); break;
        case 'r': reorder_pct = atof(optarg); break;
        case 'j': jitter_ns = (uint64_t)(atof(optarg) * 1e6); break;
        case 'D': dup_pct = atof(optarg); break;
        case 's': seed = strtoull(optarg, NULL, 0); break;
        default:
            fprintf(stderr, "usage: impair-relay -l LISTENPORT -t TARGETPORT [-a ADDR] [-T TARGETADDR] [-b UPSTREAMADDR] [-d DELAYMS] [-L LOSSPCT] "
                            "[-r REORDERPCT] [-j JITTERMS] [-D DUPPCT] [-s SEED]\n");
            return 2;
        }
    }
    if (listen_port <= 0 || target_port <= 0) {
        fprintf(stderr, "impair-relay: -l and -t are required\n");
        return 2;
    }
    if (target_addr == NULL)
        target_addr = addr;
    if (up_addr == NULL)
        up_addr = strcmp(target_addr, addr) == 0 ? addr : "0.0.0.0";
    if ((strncmp(addr, "127.", 4) != 0 || strncmp(target_addr, "127.", 4) != 0) && !in_private_netns()) {
        fprintf(stderr, "impair-relay: refusing non-loopback addresses %s -> %s outside a private network namespace"
                        " (run it with ip netns exec)\n", addr, target_addr);
        return 2;
    }
    if (reorder_pct > 0 && jitter_ns == 0)
        jitter_ns = delay_ns / 2 + 1000000;
    /* Different, fixed streams per direction: changing the loss of one direction leaves the other's decisions. */
    dirs[0].rng = seed * 0x9E3779B97F4A7C15ull + 1;
    dirs[1].rng = seed * 0xBF58476D1CE4E5B9ull + 2;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    /* The stop signals stay blocked except inside ppoll: one arriving between the loop's check and ppoll would
     * otherwise be missed and leave the relay waiting forever (it idles with no timeout when nothing is queued). */
    sigemptyset(&stopsigs);
    sigaddset(&stopsigs, SIGTERM);
    sigaddset(&stopsigs, SIGINT);
    sigprocmask(SIG_BLOCK, &stopsigs, &waitmask);
    sigdelset(&waitmask, SIGTERM);
    sigdelset(&waitmask, SIGINT);

    lfd = udp_socket(addr, listen_port);
    memset(&target, 0, sizeof(target));
    target.sin_family = AF_INET;
    target.sin_port = htons(target_port);
    if (inet_pton(AF_INET, target_addr, &target.sin_addr) != 1) {
        fprintf(stderr, "impair-relay: bad target address %s\n", target_addr);
        return 2;
    }
    printf("impair-relay: %s:%d -> %s:%d delay %.1f ms loss %.2f %% reorder %.2f %% dup %.2f %% seed %llu\n", addr,
           listen_port, target_addr, target_port, delay_ns / 1e6, loss_pct, reorder_pct, dup_pct, (unsigned long long)seed);
    fflush(stdout);

    while (!stop) {
        int timeout_ms = -1, n;
        uint64_t t = now_ns();
        struct timespec ts, *tsp = NULL;
        /* Deliver what is due. */
        while (heap_n && heap[0].due_ns <= t) {
            struct pkt p = heap_pop();
            sendto(p.fd, p.data, p.len, 0, (struct sockaddr *)&p.to, sizeof(p.to));
            free(p.data);
        }
        if (heap_n) {
            uint64_t wait = heap[0].due_ns - t;
            ts.tv_sec = wait / 1000000000ull;
            ts.tv_nsec = wait % 1000000000ull;
            tsp = &ts;
        }
        (void)timeout_ms;
        pfd[0].fd = lfd;
        pfd[0].events = POLLIN;
        for (i = 0; i < nclients; i++) {
            pfd[i + 1].fd = clients[i].up_fd;
            pfd[i + 1].events = POLLIN;
        }
        n = ppoll(pfd, nclients + 1, tsp, &waitmask);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("impair-relay: ppoll");
            break;
        }
        t = now_ns();
        if (pfd[0].revents & POLLIN) {
            for (;;) {
                struct sockaddr_in from;
                socklen_t fl = sizeof(from);
                ssize_t len = recvfrom(lfd, buf, MAX_DGRAM, 0, (struct sockaddr *)&from, &fl);
                int c;
                if (len < 0)
                    break;
                for (c = 0; c < nclients; c++) {
                    if (clients[c].addr.sin_port == from.sin_port
                        && clients[c].addr.sin_addr.s_addr == from.sin_addr.s_addr)
                        break;
                }
                if (c == nclients) {
                    if (nclients == MAX_CLIENTS)
                        continue;
                    clients[c].addr = from;
                    clients[c].up_fd = udp_socket(up_addr, 0);
                    nclients++;
                }
                enqueue(0, clients[c].up_fd, &target, buf, (int)len, t);
            }
        }
        for (i = 0; i < nclients; i++) {
            if (!(pfd[i + 1].revents & POLLIN))
                continue;
            for (;;) {
                ssize_t len = recv(clients[i].up_fd, buf, MAX_DGRAM, 0);
                if (len < 0)
                    break;
                enqueue(1, lfd, &clients[i].addr, buf, (int)len, t);
            }
        }
    }
    printf("{\"tool\":\"impair-relay\",\"lossPct\":%.2f,\"delayMs\":%.1f,\"clients\":%d,"
           "\"up\":{\"in\":%lld,\"out\":%lld,\"dropped\":%lld,\"duplicated\":%lld,\"reordered\":%lld},"
           "\"down\":{\"in\":%lld,\"out\":%lld,\"dropped\":%lld,\"duplicated\":%lld,\"reordered\":%lld}}\n",
           loss_pct, delay_ns / 1e6, nclients, dirs[0].in, dirs[0].out, dirs[0].dropped, dirs[0].duplicated,
           dirs[0].reordered, dirs[1].in, dirs[1].out, dirs[1].dropped, dirs[1].duplicated, dirs[1].reordered);
    return 0;
}
