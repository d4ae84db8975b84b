package dev.rxrpc.examples.ptserver;

import dev.rxrpc.examples.ptserver.pr.PrService;
import dev.rxrpc.examples.ptserver.ubik.UbikDebug;
import dev.rxrpc.examples.ptserver.wire.PrWire;
import dev.rxrpc.examples.ptserver.wire.RxEndpoint;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Wires the PR service, the Ubik debug services and the Rx endpoint that serves them. */
@Configuration(proxyBeanMethods = false)
class PtServerConfiguration {

    /** The embedded database's directory must exist before H2 opens its file. */
    @Bean
    static DataDirectory dataDirectory(PtServerProperties props) {
        return new DataDirectory(props.dataDir());
    }

    record DataDirectory(String path) {
        DataDirectory {
            try {
                Files.createDirectories(Path.of(path));
            } catch (IOException e) {
                throw new IllegalStateException(
                        "cannot create ptserver.data-dir '" + path + "' (" + e.getMessage()
                                + "): set ptserver.data-dir to a writable directory",
                        e);
            }
        }
    }

    @Bean
    PrWire prWire(PrService pr, PtServerProperties props) {
        return new PrWire(pr, props.cell());
    }

    @Bean
    UbikDebug ubikDebug(PrService pr, @Value("${rxrpc.server.address:0.0.0.0}") String host) {
        int started = (int) (System.currentTimeMillis() / 1000);
        return new UbikDebug(started, () -> System.currentTimeMillis() / 1000, pr::dbVersion, hostAddresses(host));
    }

    @Bean(destroyMethod = "dispose")
    Scheduler ptBlockingScheduler() {
        return Schedulers.newBoundedElastic(
                Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE, Schedulers.DEFAULT_BOUNDED_ELASTIC_QUEUESIZE, "pt-db");
    }

    @Bean(destroyMethod = "close")
    RxEndpoint rxEndpoint(
            @Value("${rxrpc.server.address:0.0.0.0}") String host,
            @Value("${rxrpc.server.port:7002}") int port,
            PrService pr,
            PrWire prWire,
            UbikDebug ubik,
            Scheduler ptBlockingScheduler,
            DataDirectory dataDirectory) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("rxrpc.server.port must be 0..65535, got " + port);
        }
        return new RxEndpoint(host, port, pr, prWire, ubik, ptBlockingScheduler);
    }

    /**
     * The addresses udebug lists for this host, host byte order: the bind address, or for a wildcard bind the
     * non-loopback IPv4 addresses (as Ubik lists them), falling back to 127.0.0.1.
     */
    static List<Integer> hostAddresses(String host) {
        List<Integer> out = new ArrayList<>();
        try {
            InetAddress bind = InetAddress.getByName(host);
            if (!bind.isAnyLocalAddress() && bind instanceof Inet4Address) {
                out.add(toInt(bind));
                return out;
            }
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                        out.add(toInt(a));
                    }
                }
            }
        } catch (UnknownHostException | SocketException e) {
            throw new IllegalArgumentException(
                    "rxrpc.server.address '" + host + "' is not a usable address: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            out.add(0x7f000001);
        }
        return out;
    }

    private static int toInt(InetAddress a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }
}
