package dev.rxrpc.examples.ptserver;

import dev.rxrpc.examples.ptserver.pr.Pr;
import dev.rxrpc.examples.ptserver.pr.PrError;
import dev.rxrpc.examples.ptserver.pr.PrService;
import dev.rxrpc.examples.ptserver.ubik.UbikSyncSite;
import dev.rxrpc.spring.RxExceptionHandler;
import dev.rxrpc.spring.autoconfigure.RxRpcKeyMaterial;
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
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;

/** Wires the Ubik sync-site answers, the PR database error mapping, and the data directory. */
@Configuration(proxyBeanMethods = false)
class PtServerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PtServerConfiguration.class);

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

    /**
     * With {@code ptserver.noauth=false} writes need an authenticated administrator, which needs rxkad, which needs the
     * cell's keys: without {@code rxrpc.security.key-dir} the server still starts (reads work, as they do for
     * anonymous callers of an OpenAFS ptserver) but says why every write will be refused.
     */
    @Bean
    InitializingBean ptserverAuthenticationCheck(PtServerProperties props, RxRpcKeyMaterial keys) {
        return () -> {
            if (props.noauth()) {
                log.warn("ptserver.noauth=true: every caller may change the database (OpenAFS's -noauth)");
            } else if (keys.keys().isEmpty()) {
                log.warn("ptserver.noauth=false without rxrpc.security.key-dir: no caller can authenticate, so every"
                        + " write is refused with PRPERM; set rxrpc.security.key-dir to the cell's key directory");
            } else {
                log.info(
                        "ptserver.noauth=false: writes need 'afs' (-localauth) or a member of system:administrators;"
                                + " keys from {}",
                        keys.source());
            }
        };
    }

    @Bean
    UbikSyncSite ubikSyncSite(PrService pr, @Value("${rxrpc.server.address:0.0.0.0}") String host) {
        int started = (int) (System.currentTimeMillis() / 1000);
        return new UbikSyncSite(started, () -> System.currentTimeMillis() / 1000, pr::dbVersion, hostAddresses(host));
    }

    @Bean
    UbikSyncSite.VoteEndpoint ubikVote(UbikSyncSite site) {
        return new UbikSyncSite.VoteEndpoint(site);
    }

    @Bean
    UbikSyncSite.DiskEndpoint ubikDisk(UbikSyncSite site) {
        return new UbikSyncSite.DiskEndpoint(site);
    }

    /** Database failures of PR calls abort with PRDBFAIL (a name race that slipped past the checks: PREXIST). */
    @Bean
    RxExceptionHandler prDatabaseFailures() {
        return (e, call) -> {
            if (call.serviceId() != Pr.SERVICE_ID || !(e instanceof DataAccessException)) {
                return OptionalInt.empty();
            }
            if (e instanceof DuplicateKeyException) {
                return OptionalInt.of(PrError.PREXIST.code());
            }
            log.warn("PR call {} failed in the database", call, e);
            return OptionalInt.of(PrError.PRDBFAIL.code());
        };
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
