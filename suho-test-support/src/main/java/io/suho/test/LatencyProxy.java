package io.suho.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server that delays every answer: each chunk the server sends reaches
 * the client {@link #delay(Duration) delay} later (chunks keep their order and their spacing, so a delay is added
 * once per round trip, not once per packet). Requests pass at once. For showing how a client routes around a slow
 * replica without touching the shared server. The delay can change while connections are open. Test code only;
 * thread-safe; close it to drop every connection.
 */
public final class LatencyProxy implements AutoCloseable {
    private final ServerSocket listen;
    private final String targetHost;
    private final int targetPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "latency-proxy");
        t.setDaemon(true);
        return t;
    });
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Set<Integer> upstreamPorts = ConcurrentHashMap.newKeySet();
    private volatile long delayNanos;
    private volatile boolean closed;

    private LatencyProxy(String targetHost, int targetPort, Duration delay) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        delay(delay);
        this.listen = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    /** A proxy on a free port of 127.0.0.1 forwarding to {@code host:port}, answers delayed by {@code delay}. */
    public static LatencyProxy start(String host, int port, Duration delay) throws IOException {
        return new LatencyProxy(host, port, delay);
    }

    /** Sets the delay added to every answer from now on. */
    public void delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0, got " + delay);
        }
        this.delayNanos = delay.toNanos();
    }

    /** {@code 127.0.0.1:<port>}, the address clients connect to. */
    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    public int port() {
        return listen.getLocalPort();
    }

    /**
     * Whether {@code port} is the local port of one of this proxy's connections to the server: what the server sees
     * as the client's port ({@code inet_client_port()} in PostgreSQL), so a test can tell which path a call took.
     */
    public boolean isUpstreamPort(int port) {
        return upstreamPorts.contains(port);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listen.accept();
                Socket server = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                upstreamPorts.add(server.getLocalPort());
                threads.execute(() -> pump(client, server));
                BlockingQueue<Chunk> answers = new LinkedBlockingQueue<>();
                threads.execute(() -> readAnswers(server, client, answers));
                threads.execute(() -> deliver(answers, client, server));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("latency proxy: " + e);
                }
            }
        }
    }

    /** A chunk of an answer and when it may be passed on. */
    private record Chunk(byte[] bytes, long dueNanos) {
    }

    private static final Chunk END = new Chunk(new byte[0], 0);

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a side closed: close both below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void readAnswers(Socket server, Socket client, BlockingQueue<Chunk> answers) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = server.getInputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                answers.add(new Chunk(Arrays.copyOf(buf, n), System.nanoTime() + delayNanos));
            }
        } catch (IOException e) {
            // closed
        } finally {
            answers.add(END);
        }
    }

    private void deliver(BlockingQueue<Chunk> answers, Socket client, Socket server) {
        try (OutputStream out = client.getOutputStream()) {
            while (true) {
                Chunk c = answers.take();
                if (c == END) {
                    break;
                }
                long wait = c.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                out.write(c.bytes());
                out.flush();
            }
        } catch (IOException e) {
            // the client closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listen.close();
        } catch (IOException e) {
            // already closed
        }
        sockets.forEach(LatencyProxy::closeQuietly);
        threads.shutdownNow();
    }
}
