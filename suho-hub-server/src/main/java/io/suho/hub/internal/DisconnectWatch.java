package io.suho.hub.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices that the client of a parked long-poll went away. Over HTTP/1.1 a server that is answering a request
 * asynchronously does not read from the connection, so a client that closes its socket is not noticed until the
 * answer is written — a waiter would keep its slot for its whole wait, and a few hundred open-and-close requests per
 * second would keep real watchers out. While the long-poll waits, this watch registers read interest on the
 * connection: end-of-stream (or anything else arriving, which an HTTP/1.1 client must not send before its answer)
 * ends the wait at once; {@link #stop()} withdraws the interest before the answer is written, so the connection
 * serves its next request as usual. Thread-safe.
 */
final class DisconnectWatch implements Callback {
    private static final IOException WITHDRAWN = new IOException("long-poll answered; read interest withdrawn");

    private final EndPoint endPoint;
    private final Consumer<Throwable> onGone;
    private final AtomicBoolean registered = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();

    private DisconnectWatch(EndPoint endPoint, Consumer<Throwable> onGone) {
        this.endPoint = endPoint;
        this.onGone = onGone;
    }

    /** A watch of {@code endPoint}; {@code onGone} runs at most once, when the client went away. */
    static DisconnectWatch of(EndPoint endPoint, Consumer<Throwable> onGone) {
        return new DisconnectWatch(endPoint, onGone);
    }

    /**
     * Starts (or resumes) watching, unless {@link #stop()} came first. Does nothing when the connection is already
     * read-interested (the server then notices a close itself).
     */
    synchronized void register() {
        if (stopped.get() || registered.get()) {
            return;
        }
        registered.set(true);
        if (!endPoint.tryFillInterested(this)) {
            registered.set(false);
        }
    }

    /** Withdraws the read interest (call before writing the answer). */
    synchronized void stop() {
        if (stopped.compareAndSet(false, true) && registered.get() && endPoint instanceof AbstractEndPoint a) {
            a.getFillInterest().onFail(WITHDRAWN);
        }
    }

    /** The connection has something to read: end-of-stream, or bytes a waiting client should not send. */
    @Override
    public synchronized void succeeded() {
        registered.set(false);
        if (stopped.get()) {
            return;
        }
        try {
            ByteBuffer one = BufferUtil.allocate(1);
            int n = endPoint.fill(one);
            if (n == 0) {
                register(); // a spurious wake-up (e.g. a TLS record without application data)
                return;
            }
            IOException why = new IOException(n < 0 ? "client closed the connection while waiting"
                    : "client sent data while its long-poll was waiting");
            gone(why);
            endPoint.close(why);
        } catch (IOException e) {
            gone(e);
        }
    }

    @Override
    public synchronized void failed(Throwable x) {
        registered.set(false);
        if (x != WITHDRAWN) {
            gone(x);
        }
    }

    private void gone(Throwable why) {
        if (stopped.compareAndSet(false, true)) {
            onGone.accept(why);
        }
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }
}
