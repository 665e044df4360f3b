package dev.grpcpatterns.web;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands a call's bytes to the client side one piece at a time, in order, from whatever thread produces them, and
 * tells the producer when each piece has been taken, i.e. when the client side can take the next one. That callback is
 * how flow control reaches the service: the next reply is requested from the gRPC call only then, so a client that
 * reads slowly makes the service wait (its {@code isReady()} turns false) instead of the server buffering.
 *
 * <p>Lock-free on purpose: the transports call back on their own threads (a servlet container's {@code
 * onWritePossible}, a WebSocket send completion) and must never wait for a producer. Whoever finds the sink idle
 * drains it; others only leave work behind.
 */
final class SerialSink {

    /** Where the bytes go: a servlet response or a WebSocket. */
    interface Transport {

        /**
         * Whether the transport can take bytes now, having sent what it took before (a servlet response flushes them
         * here). When false, the transport calls {@link SerialSink#resume()} once it can.
         */
        boolean ready() throws IOException;

        /** Starts writing {@code bytes}; called only right after {@link #ready()} said true. */
        void write(byte[] bytes) throws IOException;

        /**
         * Nothing more is at hand for now: send what was written (a servlet response flushes here). Pieces that
         * come back to back (a stream's replies produced as fast as they are taken, a reply and the call's end)
         * thus leave in one write, and a piece that comes alone leaves at once.
         */
        default void idle() throws IOException {
        }

        /** The client is gone (a write failed): the call must end. */
        void failed(IOException cause);
    }

    private record Piece(byte[] bytes, Runnable taken) {
    }

    private final Transport transport;
    private final Queue<Piece> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger work = new AtomicInteger();
    // Touched only by the thread draining:
    private Runnable waitingFor;
    private boolean failed;

    SerialSink(Transport transport) {
        this.transport = transport;
    }

    /** Queues {@code bytes} (null: nothing to write) and runs {@code taken} once the transport has taken them. */
    void send(byte[] bytes, Runnable taken) {
        queue.add(new Piece(bytes, taken));
        drain();
    }

    /** The transport can take more. */
    void resume() {
        drain();
    }

    private void drain() {
        if (work.getAndIncrement() != 0) {
            return;
        }
        do {
            try {
                while (!failed) {
                    if (waitingFor != null) {
                        if (!transport.ready()) {
                            break;
                        }
                        Runnable taken = waitingFor;
                        waitingFor = null;
                        taken.run();
                    }
                    Piece piece = queue.peek();
                    if (piece == null) {
                        transport.idle();
                        break;
                    }
                    if (piece.bytes() != null) {
                        if (!transport.ready()) {
                            break;
                        }
                        transport.write(piece.bytes());
                    }
                    queue.poll();
                    waitingFor = piece.taken();
                }
            } catch (IOException gone) {
                failed = true;
                queue.clear();
                transport.failed(gone);
            }
        } while (work.decrementAndGet() != 0);
    }
}
