package dev.rxrpc.spring.it;

import dev.rxrpc.RxAbortException;
import dev.rxrpc.spring.RxCallContext;
import dev.rxrpc.spring.annotation.RxAbortCode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The test service. {@link #await} blocks until {@link #release} is called for its token (drain tests). */
@Component
public class CalcServiceImpl implements CalcService {

    /** The thread each operation was last invoked on, by operation. */
    final java.util.Map<String, String> threads = new java.util.concurrent.ConcurrentHashMap<>();

    /** Thrown by lookup for an unknown name: mapped by annotation. */
    @RxAbortCode(267268)
    public static class NoSuchEntry extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NoSuchEntry(String name) {
            super("no entry " + name);
        }
    }

    /** Mapped by the test's RxExceptionHandler bean. */
    public static class Custom extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    final Map<Integer, CountDownLatch> gates = new ConcurrentHashMap<>();
    final Map<Integer, Boolean> started = new ConcurrentHashMap<>();

    @Override
    public int add(int a, int b) {
        threads.put("add", Thread.currentThread().getName());
        return a + b;
    }

    @Override
    public Mono<Greeting> greet(String name, RxCallContext call) {
        threads.put("greet", Thread.currentThread().getName());
        return Mono.just(new Greeting(
                "hello " + name, call.callNumber(), call.peer().getAddress().isLoopbackAddress()));
    }

    @Override
    public Entry lookup(String name) {
        if (!name.equals("admin")) {
            throw new NoSuchEntry(name);
        }
        return entry(1);
    }

    static Entry entry(int id) {
        return new Entry("user" + id, id, 0xFFFF_FFFF_FFFF_FFFEL, new byte[] {1, 2, 3}, List.of("a", "bc"));
    }

    @Override
    public void fail(int how) {
        switch (how) {
            case 1 -> throw new RxAbortException(12345);
            case 2 -> throw new Custom();
            default -> throw new IllegalStateException("boom");
        }
    }

    @Override
    public List<Entry> list(List<Integer> ids) {
        List<Entry> out = new ArrayList<>();
        for (int id : ids) {
            out.add(entry(id));
        }
        return out;
    }

    @Override
    public Optional<Entry> find(int id) {
        return id > 0 ? Optional.of(entry(id)) : Optional.empty();
    }

    @Override
    public Flux<ByteBuffer> download(int blocks) {
        return Flux.range(0, blocks).map(i -> ByteBuffer.wrap(block(i)));
    }

    static byte[] block(int i) {
        byte[] b = new byte[1000];
        for (int j = 0; j < b.length; j++) {
            b[j] = (byte) (i * 31 + j);
        }
        return b;
    }

    @Override
    public Mono<Long> upload(int header, Flux<ByteBuffer> data) {
        return data.reduce(0L, (n, b) -> n + b.remaining()).map(n -> n * 1000 + header);
    }

    @Override
    public int await(int token) {
        started.put(token, true);
        try {
            if (!gates.computeIfAbsent(token, t -> new CountDownLatch(1)).await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return token * 2;
    }

    /** Lets the {@link #await} call with this token return. */
    public void release(int token) {
        gates.computeIfAbsent(token, t -> new CountDownLatch(1)).countDown();
    }

    /** Whether an {@link #await} call with this token is running. */
    public boolean started(int token) {
        return started.containsKey(token);
    }

    @Override
    public Fixed fixed(byte[] key, int[] three) {
        return new Fixed(
                key, IntStream.of(three).boxed().toList(), IntStream.of(three).sum());
    }
}
