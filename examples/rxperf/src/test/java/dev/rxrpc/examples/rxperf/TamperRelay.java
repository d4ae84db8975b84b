package dev.rxrpc.examples.rxperf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback UDP relay between one Rx client and a server that damages the client's DATA packets from a given
 * sequence number on (every copy, retransmissions included), so that the damaged packet can never arrive intact.
 * Two daemon threads; {@link #close()} stops them.
 */
final class TamperRelay implements AutoCloseable {

    /** What to damage in a DATA packet. */
    enum Damage {
        /** The 16-bit rxkad header checksum (Rx header offset 24). */
        HEADER_CKSUM,
        /** The first byte of the body: at auth and crypt level, inside the encrypted sealed word. */
        FIRST_BODY_BYTE
    }

    static final int HEADER = 28;
    static final int TYPE_DATA = 1;

    private final DatagramSocket front;
    private final DatagramSocket back;
    private final InetSocketAddress server;
    private final Damage damage;
    private final int fromSeq;
    private final AtomicInteger damaged = new AtomicInteger();
    private volatile SocketAddress client;

    TamperRelay(InetSocketAddress server, Damage damage, int fromSeq) {
        try {
            this.front = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            this.back = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        this.server = server;
        this.damage = damage;
        this.fromSeq = fromSeq;
        start("tamper-relay-up", () -> pump(front, true));
        start("tamper-relay-down", () -> pump(back, false));
    }

    /** Where the client should send. */
    int port() {
        return front.getLocalPort();
    }

    /** DATA packets damaged so far. */
    int damaged() {
        return damaged.get();
    }

    private static void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private void pump(DatagramSocket from, boolean up) {
        byte[] buf = new byte[65536];
        while (!from.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                from.receive(p);
                if (up) {
                    client = p.getSocketAddress();
                    tamper(buf, p.getLength());
                    back.send(new DatagramPacket(buf, p.getLength(), server));
                } else if (client != null) {
                    front.send(new DatagramPacket(buf, p.getLength(), client));
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void tamper(byte[] b, int len) {
        if (len <= HEADER || b[20] != TYPE_DATA || b[23] == 0) {
            return; // only secured DATA packets
        }
        int seq = ((b[12] & 0xff) << 24) | ((b[13] & 0xff) << 16) | ((b[14] & 0xff) << 8) | (b[15] & 0xff);
        if (seq < fromSeq) {
            return;
        }
        if (damage == Damage.HEADER_CKSUM) {
            b[24] ^= 0x55;
            if (b[24] == 0 && b[25] == 0) {
                b[25] = 1; // zero would mean "no checksum"; keep it a wrong one
            }
        } else {
            b[HEADER] ^= 0x5a;
        }
        damaged.incrementAndGet();
    }

    @Override
    public void close() {
        front.close();
        back.close();
    }
}
