package dev.rxrpc.examples.rxperf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.RxServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The command line: JSON output, exit codes, usage errors. */
class RxperfMainTest {

    record Outcome(int code, String out, String err) {}

    static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RxperfMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonModePrintsExactlyOneResultLine() {
        try (RxperfServer server = RxperfServer.start("127.0.0.1", 0, EngineOptions.defaults())) {
            String port = String.valueOf(server.address().getPort());
            Outcome o = run("client", "-c", "rpc", "-s", "127.0.0.1", "-p", port, "-t", "2", "-n", "10", "--json");
            assertThat(o.code()).isZero();
            assertThat(o.out().lines()).hasSize(1);
            assertThat(o.out())
                    .startsWith("{\"tool\":\"rxperf-java\",\"command\":\"rpc\"")
                    .contains("\"threads\":2", "\"calls\":20", "\"errors\":0", "\"callsPerSec\":", "\"p99Us\":");
            assertThat(o.err()).contains("rpc: threads 2, times 10, bytes 3/30:");
            assertThat(o.err().lines().filter(RxperfMain.MEASURING_MARKER::equals))
                    .hasSize(1);

            Outcome human = run("client", "-c", "recv", "-p", port, "-b", "64k", "-n", "2", "--no-jumbo");
            assertThat(human.code()).isZero();
            assertThat(human.out()).contains("recv: threads 1, times 2, bytes 65536:", "errors     0");
            assertThat(human.err()).doesNotContain(RxperfMain.MEASURING_MARKER);
        }
    }

    @Test
    void failedCallsMakeTheExitCodeNonZeroAndNameTheAbortCode() {
        RxServer aborting = RxServer.builder()
                .service(
                        RxperfProtocol.SERVICE_ID,
                        (call, request) -> request.then(Mono.error(new RxAbortException(12345))))
                .bind();
        try (aborting) {
            String port = String.valueOf(aborting.address().getPort());
            Outcome o = run("client", "-c", "rpc", "-p", port, "-n", "3", "--json");
            assertThat(o.code()).isEqualTo(1);
            assertThat(o.out()).contains("\"errors\":1", "\"abortCodes\":{\"12345\":1}");
            assertThat(o.err()).contains("abort 12345");
        }
    }

    @Test
    void badCommandLinesAreUsageErrors() {
        assertThatThrownBy(() -> run("client", "-p", "1")).hasMessageContaining("-c");
        assertThatThrownBy(() -> run("client", "-c", "frob")).hasMessageContaining("unknown command");
        assertThatThrownBy(() -> run("client", "-c", "send", "-b", "3g")).hasMessageContaining("2^31-1");
        assertThatThrownBy(() -> run("client", "-c", "file", "--phases", "1,0,1,0,1"))
                .hasMessageContaining("after the reply");
        assertThatThrownBy(() -> run("server", "--bogus")).hasMessageContaining("unknown option");
    }
}
