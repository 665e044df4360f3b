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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop unary client: calls are due at a fixed rate whatever the server does (closed-loop clients slow down
 * with the server and hide its overload). A call's latency counts from when it was due, not from when it left, so a
 * client that falls behind never hides the wait (no coordinated omission). Calls the client could not send are
 * recorded apart, by why: more than {@code maxOutstanding} of its own still open, or the client itself more than
 * {@code maxLag} behind its schedule (this machine's client cannot offer 10× the server's capacity; the rate it
 * reached is reported beside the one asked for). Every call is recorded (when it was due, how long it took, its
 * status), for the tables and for the seconds after a flood.
 *
 * <p>A <em>well-behaved</em> client ({@link #wellBehaved}) is what a caller honouring the server's push-back does:
 * grpc-java's retry policy (gRFC A6) retries a {@code RESOURCE_EXHAUSTED} once after the server's
 * {@code grpc-retry-pushback-ms}, under A6's retry throttling, and the client holds new calls back itself while the
 * server turns many away (adaptive throttling as in Google's SRE book, "Handling Overload": a call is held back with
 * probability {@code max(0, (requests - K * accepts) / (requests + 1))} over the last second). A held-back call is
 * counted as such, never sent and never a failure.
 */
final class OpenLoop implements AutoCloseable {

    private static final HelloRequest HELLO = HelloRequest.newBuilder().setName("overload").build();

    /** gRFC A6: one retry of a rejected call after the server's push-back, retries throttled while many fail. */
    private static final Map<String, ?> RETRY_POLICY = Map.of(
            "methodConfig", List.of(Map.of(
                    "name", List.of(Map.of("service", GreeterGrpc.SERVICE_NAME)),
                    "retryPolicy", Map.of("maxAttempts", 2.0, "initialBackoff", "0.1s", "maxBackoff", "1s",
                            "backoffMultiplier", 2.0, "retryableStatusCodes", List.of("RESOURCE_EXHAUSTED")))),
            "retryThrottling", Map.of("maxTokens", 10.0, "tokenRatio", 0.1));

    private final List<GreeterGrpc.GreeterStub> stubs = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final Duration deadline;
    private final int maxOutstanding;
    private final long maxLagNanos;
    /** Null for a client that sends every call it can. */
    private final Throttle throttle;

    /** {@code channels} connections (each carries at most the server's MAX_CONCURRENT_STREAMS calls at once). */
    OpenLoop(int port, int channels, Duration deadline, int maxOutstanding, Duration maxLag) {
        this(port, channels, deadline, maxOutstanding, maxLag, null);
    }

    private OpenLoop(int port, int channels, Duration deadline, int maxOutstanding, Duration maxLag,
            Throttle throttle) {
        this.deadline = deadline;
        this.maxOutstanding = maxOutstanding;
        this.maxLagNanos = maxLag.toNanos();
        this.throttle = throttle;
        for (int i = 0; i < channels; i++) {
            ManagedChannelBuilder<?> builder = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext()
                    .directExecutor();
            if (throttle != null) {
                builder.defaultServiceConfig(RETRY_POLICY).enableRetry();
            }
            ManagedChannel channel = builder.build();
            this.channels.add(channel);
            stubs.add(GreeterGrpc.newStub(channel));
        }
    }

    /** A client that honours push-back: A6 retries and throttling, and new calls held back by factor {@code k}. */
    static OpenLoop wellBehaved(int port, int channels, Duration deadline, int maxOutstanding, Duration maxLag,
            double k) {
        return new OpenLoop(port, channels, deadline, maxOutstanding, maxLag, new Throttle(k));
    }

    /** Calls due at {@code perSecond} for {@code duration}; returns once the last is due (calls may still run). */
    Phase send(double perSecond, Duration duration) {
        int planned = (int) Math.ceil(perSecond * duration.toNanos() / 1e9);
        Phase phase = new Phase(planned, duration);
        long start = System.nanoTime();
        phase.start = start;
        int sent = 0;
        for (int i = 0; i < planned; i++) {
            long due = start + (long) (i * 1e9 / perSecond);
            long now = System.nanoTime();
            if (due > now) {
                LockSupport.parkNanos(due - now);
            } else if (now - due > maxLagNanos) {
                phase.unsent(i, due, Phase.BEHIND);
                continue;
            }
            if (throttle != null && throttle.holdsBack()) {
                phase.unsent(i, due, Phase.HELD_BACK);
                continue;
            }
            if (phase.outstanding.get() >= maxOutstanding) {
                phase.unsent(i, due, Phase.OUTSTANDING);
                continue;
            }
            phase.outstanding.incrementAndGet();
            sent++;
            int index = i;
            stubs.get(i % stubs.size()).withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                    .sayHello(HELLO, new StreamObserver<>() {
                        @Override
                        public void onNext(HelloResponse reply) {
                        }

                        @Override
                        public void onError(Throwable error) {
                            ended(Status.fromThrowable(error).getCode());
                        }

                        @Override
                        public void onCompleted() {
                            ended(Status.Code.OK);
                        }

                        private void ended(Status.Code code) {
                            if (throttle != null) {
                                throttle.answered(code != Status.Code.RESOURCE_EXHAUSTED);
                            }
                            phase.record(index, due, code, System.nanoTime());
                        }
                    });
        }
        phase.sendingSeconds = (System.nanoTime() - start) / 1e9;
        phase.sent = sent;
        return phase;
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Client-side adaptive throttling (Google SRE book, "Handling Overload"): requests and the calls the server
     * accepted (anything but a rejection) over the last second, in ten buckets of 100 ms.
     */
    private static final class Throttle {

        private static final long BUCKET_NANOS = 100_000_000;
        private final double k;
        private final long[] requests = new long[10];
        private final long[] accepts = new long[10];
        private long bucket;

        Throttle(double k) {
            this.k = k;
        }

        synchronized boolean holdsBack() {
            roll();
            long allRequests = sum(requests);
            double reject = (allRequests - k * sum(accepts)) / (allRequests + 1);
            requests[(int) (bucket % requests.length)]++;
            return reject > 0 && ThreadLocalRandom.current().nextDouble() < reject;
        }

        synchronized void answered(boolean accepted) {
            roll();
            if (accepted) {
                accepts[(int) (bucket % accepts.length)]++;
            }
        }

        private void roll() {
            long now = System.nanoTime() / BUCKET_NANOS;
            for (long b = Math.max(bucket + 1, now - requests.length + 1); b <= now; b++) {
                requests[(int) (b % requests.length)] = 0;
                accepts[(int) (b % accepts.length)] = 0;
            }
            bucket = Math.max(bucket, now);
        }

        private static long sum(long[] counts) {
            long sum = 0;
            for (long count : counts) {
                sum += count;
            }
            return sum;
        }
    }

    /** The calls of one fixed-rate phase, each by its index: when it was due, its latency and its status. */
    static final class Phase {

        /** Latency of a call never sent. */
        static final long NOT_SENT = -1;
        /** Why a call was not sent: too many of the client's own outstanding. */
        static final byte OUTSTANDING = 1;
        /** The client itself more than its allowed lag behind its schedule. */
        static final byte BEHIND = 2;
        /** Held back by a well-behaved client's throttling. */
        static final byte HELD_BACK = 3;

        final AtomicInteger outstanding = new AtomicInteger();
        final long[] sentNanos;
        final long[] latencyNanos;
        final Status.Code[] codes;
        final byte[] unsent;
        final double plannedSeconds;
        long start;
        double sendingSeconds;
        int sent;
        private final CountDownLatch ended;

        Phase(int planned, Duration duration) {
            sentNanos = new long[planned];
            latencyNanos = new long[planned];
            codes = new Status.Code[planned];
            unsent = new byte[planned];
            plannedSeconds = duration.toNanos() / 1e9;
            ended = new CountDownLatch(planned);
        }

        /** A call that ended with {@code code}; {@code due} is when it was due, its latency counts from there. */
        void record(int index, long due, Status.Code code, long endedAt) {
            sentNanos[index] = due - start;
            latencyNanos[index] = endedAt - due;
            codes[index] = code;
            outstanding.decrementAndGet();
            ended.countDown();
        }

        void unsent(int index, long due, byte why) {
            sentNanos[index] = due - start;
            latencyNanos[index] = NOT_SENT;
            unsent[index] = why;
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

        /** Calls not sent for {@code why} ({@link #OUTSTANDING}, {@link #BEHIND}, {@link #HELD_BACK}). */
        long unsent(byte why) {
            long n = 0;
            for (byte reason : unsent) {
                if (reason == why) {
                    n++;
                }
            }
            return n;
        }

        /** Latencies (ms) of the calls that ended with {@code code} and were due in [from, to), sorted. */
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
