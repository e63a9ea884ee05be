package io.suho.bench;

import java.util.List;

/**
 * One store's benchmark scenarios. Registered in {@code META-INF/services/io.suho.bench.BenchmarkSuite}; selected with
 * {@code --store <name>}. {@link #setUp} connects both the SDK and the raw driver to the same server with the same
 * settings and returns the operations; the harness runs each operation's SDK and raw forms interleaved.
 */
public interface BenchmarkSuite extends AutoCloseable {

    /** The {@code --store} name, e.g. {@code postgres}. */
    String store();

    /** Connects and prepares data; throws with a clear message when the server is not there. */
    List<BenchOperation> setUp(BenchContext context) throws Exception;

    @Override
    void close() throws Exception;
}
