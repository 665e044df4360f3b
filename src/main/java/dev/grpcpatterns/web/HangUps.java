package dev.grpcpatterns.web;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Field;
import java.time.Duration;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.RequestFacade;
import org.apache.coyote.AbstractProcessor;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices at once when a client closes the HTTP/1.1 connection of a web call in progress (an aborted fetch, a closed
 * tab), so that the call is cancelled then and not at its next write. Tomcat cannot tell: once a request's body is
 * read, nothing reads its connection until the response is complete (its poller is told to watch it again only then),
 * so a closed connection shows only when a write fails, a pacing interval or two later. Here one thread watches the
 * connections of the calls in progress for readability, in a selector of its own. Nothing is ever read: readable with
 * no byte waiting is the end of the stream (or a reset), while bytes waiting are a pipelined next request, left for
 * Tomcat, and the watch simply stops. A call is watched only once it has lasted {@link #GRACE}: the many calls that
 * end sooner cost this thread nothing.
 *
 * <p>The socket is Tomcat's; the servlet API has no way to it, so three of Tomcat's fields are read (resolved once at
 * start-up; {@code WebCancelTest} fails if a Tomcat upgrade moves them). Where they cannot be read (another
 * container, another connector), a closed connection is noticed at the next write, as before. TLS connections are
 * not watched: TLS's close_notify arrives as bytes.
 */
final class HangUps implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(HangUps.class);

    /** A call's watch; stopping it more than once stops it once. */
    interface Watch {
        void stop();
    }

    private static final Watch NOT_WATCHED = () -> { };

    /**
     * A call is watched only once it has lasted this long: most calls (unary ones, short streams) are over before,
     * and then cost no registration, no {@code epoll_ctl} and no wake-up of this thread at all. A client that closes
     * the connection earlier is noticed this much later at most.
     */
    static final Duration GRACE = Duration.ofMillis(100);

    private final Fields fields = Fields.resolve();
    /** Calls to watch once their grace is over, in the order they came (so their grace ends in that order too). */
    private final Queue<Watched> arrivals = new ConcurrentLinkedQueue<>();
    /** Watches stopped while their connection is registered. */
    private final Queue<Watched> stops = new ConcurrentLinkedQueue<>();
    /** This thread waits with no arrival pending: the next arrival wakes it. */
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final Selector selector;
    private final Thread thread;
    private volatile boolean open = true;

    HangUps() throws IOException {
        this.selector = Selector.open();
        this.thread = new Thread(this::run, "web-hang-ups");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Watches {@code request}'s connection until the watch is stopped: runs {@code onGone} (on this class's thread)
     * if the client closes it before, from {@link #GRACE} after this call on. Call it once the request's body has
     * been read.
     */
    Watch watch(HttpServletRequest request, Runnable onGone) {
        SocketChannel channel = fields == null || request.isSecure() || !request.getProtocol().startsWith("HTTP/1.")
                ? null : fields.channel(request);
        if (channel == null) {
            return NOT_WATCHED;
        }
        Watched watched = new Watched(channel, onGone, System.nanoTime() + GRACE.toNanos());
        arrivals.add(watched);
        if (sleeping.compareAndSet(true, false)) {
            selector.wakeup();
        }
        return watched;
    }

    @Override
    public void close() throws IOException {
        open = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        selector.close();
    }

    private void run() {
        while (open) {
            try {
                cancelStopped();
                long untilNext = registerDue();
                if (untilNext == 0) {
                    // A registration waits for the connection's previous key to be let go of, which a select does.
                    selector.selectNow();
                } else if (untilNext > 0) {
                    // At least 10 ms: arrivals under load are registered in batches, not one wake-up each.
                    selector.select(Math.max(10, TimeUnit.NANOSECONDS.toMillis(untilNext)));
                } else {
                    sleeping.set(true);
                    if (arrivals.isEmpty()) {
                        // Once a second at least, so that keys cancelled without a wake-up are let go of.
                        selector.select(1000);
                    }
                    sleeping.set(false);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    key.cancel();
                    ((Watched) key.attachment()).readable();
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                log.warn("Watching web connections for hang-ups failed; continuing", e);
            }
        }
    }

    private void cancelStopped() {
        for (Watched watched = stops.poll(); watched != null; watched = stops.poll()) {
            watched.key.cancel();
        }
    }

    /**
     * Registers the arrivals whose grace is over and that are still going on; returns the nanoseconds until the next
     * one's grace is over, 0 to come back at once, or -1 if none is waiting.
     */
    private long registerDue() {
        long now = System.nanoTime();
        for (Watched watched = arrivals.peek(); watched != null; watched = arrivals.peek()) {
            if (watched.stopped) {
                arrivals.poll(); // over within its grace: never registered
                continue;
            }
            if (watched.due - now > 0) {
                return watched.due - now;
            }
            try {
                watched.key = watched.channel.register(selector, SelectionKey.OP_READ, watched);
            } catch (CancelledKeyException previousCallsKey) {
                // The connection's previous call's key is cancelled but still registered until the next select.
                return 0;
            } catch (ClosedChannelException closed) {
                arrivals.poll();
                watched.gone();
                continue;
            }
            arrivals.poll();
            watched.registered = true;
            if (watched.stopped) {
                watched.key.cancel(); // stopped while being registered, and not told
            }
        }
        return -1;
    }

    /** One call's connection. Its key is touched only by the watching thread. */
    private final class Watched implements Watch {

        private final SocketChannel channel;
        private final Runnable onGone;
        private final long due;
        private volatile boolean stopped;
        private volatile boolean registered;
        private SelectionKey key;

        Watched(SocketChannel channel, Runnable onGone, long due) {
            this.channel = channel;
            this.onGone = onGone;
            this.due = due;
        }

        @Override
        public void stop() {
            if (!stopped) {
                stopped = true;
                if (registered) {
                    stops.add(this);
                    selector.wakeup();
                }
            }
        }

        void readable() {
            if (stopped) {
                return;
            }
            int waiting;
            try {
                waiting = channel.socket().getInputStream().available();
            } catch (IOException closed) {
                waiting = 0;
            }
            if (waiting == 0) {
                gone();
            }
        }

        void gone() {
            if (!stopped) {
                stopped = true;
                onGone.run();
            }
        }
    }

    /** Tomcat's way from a request to its socket: the connector's request, its processor, the processor's socket. */
    private record Fields(Field facadeRequest, Field processor, Field socket) {

        static Fields resolve() {
            try {
                Field facadeRequest = RequestFacade.class.getDeclaredField("request");
                Field processor = org.apache.coyote.Request.class.getDeclaredField("hook");
                Field socket = AbstractProcessor.class.getDeclaredField("socketWrapper");
                facadeRequest.setAccessible(true);
                processor.setAccessible(true);
                socket.setAccessible(true);
                return new Fields(facadeRequest, processor, socket);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                log.info("Closed HTTP/1.1 connections of web calls are noticed at their next write: Tomcat's socket "
                        + "is out of reach ({})", e.toString());
                return null;
            }
        }

        SocketChannel channel(ServletRequest request) {
            ServletRequest unwrapped = request;
            while (unwrapped instanceof ServletRequestWrapper wrapper) {
                unwrapped = wrapper.getRequest();
            }
            try {
                if (unwrapped instanceof RequestFacade facade
                        && facadeRequest.get(facade) instanceof org.apache.catalina.connector.Request connector
                        && processor.get(connector.getCoyoteRequest()) instanceof AbstractProcessor tomcat
                        && socket.get(tomcat) instanceof SocketWrapperBase<?> wrapper
                        && wrapper.getSocket() instanceof NioChannel nio) {
                    return nio.getIOChannel();
                }
            } catch (IllegalAccessException e) {
                // Made accessible at start-up: cannot happen; watched by nobody then.
            }
            return null;
        }
    }
}
