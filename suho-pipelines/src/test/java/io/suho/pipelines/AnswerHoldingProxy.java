package io.suho.pipelines;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a real ClickHouse that can swallow the answers to the next INSERT requests:
 * the server receives and applies each insert, the client never hears back and times out — the "outcome unknown"
 * case, made deterministic without touching the server. Every other byte is passed through. Test code only (a copy
 * of the one in suho-client-analytics' tests, which test modules cannot share).
 */
final class AnswerHoldingProxy implements AutoCloseable {
    private final ServerSocket listen;
    private final String host;
    private final int port;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "answer-holding-proxy");
        t.setDaemon(true);
        return t;
    });
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger toHold = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private volatile boolean closed;

    AnswerHoldingProxy(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.listen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(this::accept);
    }

    /** {@code 127.0.0.1:port} for the client's endpoint. */
    String endpoint() {
        return "127.0.0.1:" + listen.getLocalPort();
    }

    /** Swallows the answers to the next {@code n} INSERT requests. */
    void holdNextInserts(int n) {
        toHold.set(n);
    }

    /** How many answers were swallowed so far. */
    int held() {
        return held.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listen.accept();
                Socket server = new Socket(host, port);
                sockets.add(client);
                sockets.add(server);
                AtomicBoolean swallow = new AtomicBoolean();
                pool.submit(() -> pump(client, server, swallow, true));
                pool.submit(() -> pump(server, client, swallow, false));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicBoolean swallow, boolean request) {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                if (request && !swallow.get()
                        && new String(buf, 0, Math.min(n, 4096), StandardCharsets.ISO_8859_1).contains("INSERT")
                        && toHold.getAndUpdate(x -> Math.max(0, x - 1)) > 0) {
                    swallow.set(true); // requests on one connection are sequential: the next answer is this one's
                    held.incrementAndGet();
                }
                if (request || !swallow.get()) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // a side closed: close the other
        } finally {
            quietly(from);
            quietly(to);
        }
    }

    private static void quietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listen.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(AnswerHoldingProxy::quietly);
        pool.shutdownNow();
    }
}
