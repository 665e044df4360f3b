package dev.grpcpatterns.web;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * Tomcat, and the watch simply stops.
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

    private final Fields fields = Fields.resolve();
    private final Queue<Watched> changes = new ConcurrentLinkedQueue<>();
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
     * if the client closes it before. Call it once the request's body has been read.
     */
    Watch watch(HttpServletRequest request, Runnable onGone) {
        SocketChannel channel = fields == null || request.isSecure() || !request.getProtocol().startsWith("HTTP/1.")
                ? null : fields.channel(request);
        if (channel == null) {
            return NOT_WATCHED;
        }
        Watched watched = new Watched(channel, onGone);
        changes.add(watched);
        selector.wakeup();
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
        boolean retry = false;
        while (open) {
            try {
                // Once a second at least, so that keys cancelled without a wake-up are let go of.
                if (retry) {
                    selector.selectNow();
                } else {
                    selector.select(1000);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    key.cancel();
                    ((Watched) key.attachment()).readable();
                }
                selector.selectedKeys().clear();
                retry = applyChanges();
            } catch (IOException | RuntimeException e) {
                log.warn("Watching web connections for hang-ups failed; continuing", e);
            }
        }
    }

    /** Registers and cancels as asked; true if a registration must wait for a cancelled key to be let go of. */
    private boolean applyChanges() {
        int pending = changes.size();
        for (int i = 0; i < pending; i++) {
            Watched watched = changes.poll();
            if (watched.stopped) {
                if (watched.key != null) {
                    watched.key.cancel();
                }
            } else if (watched.key == null) {
                try {
                    watched.key = watched.channel.register(selector, SelectionKey.OP_READ, watched);
                } catch (CancelledKeyException previousCallsKey) {
                    // The connection's previous call's key is cancelled but still registered until the next select.
                    changes.add(watched);
                    return true;
                } catch (ClosedChannelException closed) {
                    watched.gone();
                }
            }
        }
        return false;
    }

    /** One call's connection. Its key is touched only by the watching thread. */
    private final class Watched implements Watch {

        private final SocketChannel channel;
        private final Runnable onGone;
        private volatile boolean stopped;
        private SelectionKey key;

        Watched(SocketChannel channel, Runnable onGone) {
            this.channel = channel;
            this.onGone = onGone;
        }

        @Override
        public void stop() {
            if (!stopped) {
                stopped = true;
                changes.add(this);
                selector.wakeup();
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
