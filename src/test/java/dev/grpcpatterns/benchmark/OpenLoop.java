package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.proto.v1.HelloResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop unary client: calls leave at a fixed rate whatever the server does (closed-loop clients slow down
 * with the server and hide its overload). A call's latency counts from when it left: on this machine the client
 * itself cannot always keep up with the highest rates (the rate it reached is reported beside the one asked for),
 * and counting from when a call was due would measure the client's lag, not the server. Every call is recorded
 * (when it left, how long it took, its status), for the tables and for the seconds after a flood.
 */
final class OpenLoop implements AutoCloseable {

    private static final HelloRequest HELLO = HelloRequest.newBuilder().setName("overload").build();

    private final List<GreeterGrpc.GreeterStub> stubs = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final Duration deadline;
    private final int maxOutstanding;

    /** {@code channels} connections (each carries at most the server's MAX_CONCURRENT_STREAMS calls at once). */
    OpenLoop(int port, int channels, Duration deadline, int maxOutstanding) {
        this.deadline = deadline;
        this.maxOutstanding = maxOutstanding;
        for (int i = 0; i < channels; i++) {
            ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext()
                    .directExecutor().build();
            this.channels.add(channel);
            stubs.add(GreeterGrpc.newStub(channel));
        }
    }

    /** Sends at {@code perSecond} for {@code duration}, then returns; the calls may still be running. */
    Phase send(double perSecond, Duration duration) {
        int planned = (int) Math.ceil(perSecond * duration.toNanos() / 1e9);
        Phase phase = new Phase(planned, duration);
        long start = System.nanoTime();
        phase.start = start;
        for (int i = 0; i < planned; i++) {
            long due = start + (long) (i * 1e9 / perSecond);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (phase.outstanding.get() >= maxOutstanding) {
                phase.record(i, due, Status.Code.RESOURCE_EXHAUSTED, Phase.NOT_SENT);
                continue;
            }
            phase.outstanding.incrementAndGet();
            int index = i;
            long sent = System.nanoTime();
            stubs.get(i % stubs.size()).withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                    .sayHello(HELLO, new StreamObserver<>() {
                        @Override
                        public void onNext(HelloResponse reply) {
                        }

                        @Override
                        public void onError(Throwable error) {
                            phase.record(index, sent, Status.fromThrowable(error).getCode(), System.nanoTime());
                        }

                        @Override
                        public void onCompleted() {
                            phase.record(index, sent, Status.Code.OK, System.nanoTime());
                        }
                    });
        }
        phase.sendingSeconds = (System.nanoTime() - start) / 1e9;
        return phase;
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** The calls of one fixed-rate phase, each by its index: when it left, its latency and its status. */
    static final class Phase {

        /** A call the client did not send: too many of its own still outstanding (counted apart). */
        static final long NOT_SENT = -1;

        final AtomicInteger outstanding = new AtomicInteger();
        final long[] sentNanos;
        final long[] latencyNanos;
        final Status.Code[] codes;
        final double plannedSeconds;
        long start;
        double sendingSeconds;
        private final CountDownLatch ended;

        Phase(int planned, Duration duration) {
            sentNanos = new long[planned];
            latencyNanos = new long[planned];
            codes = new Status.Code[planned];
            plannedSeconds = duration.toNanos() / 1e9;
            ended = new CountDownLatch(planned);
        }

        void record(int index, long sent, Status.Code code, long endedAt) {
            sentNanos[index] = sent - start;
            latencyNanos[index] = endedAt == NOT_SENT ? NOT_SENT : endedAt - sent;
            codes[index] = code;
            if (endedAt != NOT_SENT) {
                outstanding.decrementAndGet();
            }
            ended.countDown();
        }

        /** Waits until every call has ended (at most {@code timeout}); their records are then complete. */
        void awaitEnded(Duration timeout) throws InterruptedException {
            if (!ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException(ended.getCount() + " calls never ended");
            }
        }

        int size() {
            return codes.length;
        }

        long count(Status.Code code, long fromNanos, long toNanos) {
            long n = 0;
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] == code && latencyNanos[i] != NOT_SENT && sentNanos[i] >= fromNanos
                        && sentNanos[i] < toNanos) {
                    n++;
                }
            }
            return n;
        }

        long count(Status.Code code) {
            return count(code, 0, Long.MAX_VALUE);
        }

        long notSent() {
            return Arrays.stream(latencyNanos).filter(latency -> latency == NOT_SENT).count();
        }

        /** Latencies (ms) of the calls that ended with {@code code} and left in [from, to), sorted. */
        double[] latenciesMillis(Status.Code code, long fromNanos, long toNanos) {
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] == code && latencyNanos[i] != NOT_SENT && sentNanos[i] >= fromNanos
                        && sentNanos[i] < toNanos) {
                    values.add(latencyNanos[i] / 1e6);
                }
            }
            return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }

        double[] latenciesMillis(Status.Code code) {
            return latenciesMillis(code, 0, Long.MAX_VALUE);
        }

        static double quantile(double[] sorted, double q) {
            return sorted.length == 0 ? Double.NaN : sorted[(int) Math.round(q * (sorted.length - 1))];
        }
    }
}
