package dev.rxrpc.test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Turns Netty's leak reports into test failures. Registered for every test class through JUnit's extension
 * auto-detection ({@code META-INF/services}); the build runs with {@code io.netty.leakDetection.level=paranoid}, so
 * every buffer is tracked. After each test class it collects garbage, provokes the detectors to drain their queues,
 * and fails the class if any buffer was garbage-collected without being released.
 */
public final class NettyLeakCheck implements AfterAllCallback {

    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static {
        // Must run before the first ByteBuf class initialises its detector; auto-detected extensions load first.
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        List<String> found = drain();
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + " ByteBuf leak(s) in " + context.getDisplayName() + ":\n"
                    + String.join("\n----\n", found));
        }
    }

    /** Forces pending leak reports out and returns (and forgets) them. */
    public static List<String> drain() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20); // lets the reference handler enqueue collected trackers; not a timing assertion
            // A tracked allocation makes each detector poll its queue of collected, unreleased buffers.
            for (int j = 0; j < 8; j++) {
                ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(8);
                ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(8);
                a.release();
                b.release();
            }
        }
        List<String> out = new ArrayList<>();
        String s;
        while ((s = LEAKS.poll()) != null) {
            out.add(s);
        }
        return out;
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK " + resourceType + " (untraced)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
