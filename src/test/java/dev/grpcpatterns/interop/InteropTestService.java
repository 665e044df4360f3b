package dev.grpcpatterns.interop;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.BoolValue;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.server.service.GrpcService;
import org.springframework.context.annotation.Profile;

/**
 * gRPC's interop test server ({@code grpc.testing.TestService}, "Server" in grpc/grpc's
 * doc/interop-test-descriptions.md), test-only, served by the jar behind all its own interceptors when the test
 * classes join its classpath with the {@code interop} profile (src/test/interop/grpc-testing.sh). {@code
 * UnimplementedCall} stays unimplemented, as the spec wants; {@code HalfDuplexCall} and {@code CacheableUnaryCall}
 * (optional) too.
 */
@Profile("interop")
@GrpcService(interceptors = InteropHeaders.class)
class InteropTestService extends TestServiceGrpc.TestServiceImplBase {

    /** Paces replies with an {@code interval_us}: a timer, never a sleep on a gRPC thread. */
    private final ScheduledExecutorService pacing = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "interop-pacing");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public void emptyCall(Empty request, StreamObserver<Empty> responses) {
        responses.onNext(Empty.getDefaultInstance());
        responses.onCompleted();
    }

    @Override
    public void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
        if (!compressedAsExpected(request.getExpectCompressed(), responses)) {
            return;
        }
        if (request.getResponseCompressed().getValue()) {
            ((ServerCallStreamObserver<SimpleResponse>) responses).setCompression("gzip");
        }
        if (failedAsAsked(request.getResponseStatus(), responses)) {
            return;
        }
        responses.onNext(SimpleResponse.newBuilder().setPayload(payload(request.getResponseSize())).build());
        responses.onCompleted();
    }

    @Override
    public void streamingOutputCall(StreamingOutputCallRequest request,
            StreamObserver<StreamingOutputCallResponse> responses) {
        Replies replies = new Replies((ServerCallStreamObserver<StreamingOutputCallResponse>) responses);
        replies.send(request.getResponseParametersList());
        replies.complete();
    }

    @Override
    public StreamObserver<StreamingInputCallRequest> streamingInputCall(
            StreamObserver<StreamingInputCallResponse> responses) {
        return new StreamObserver<>() {
            private int aggregated;
            private boolean failed;

            @Override
            public void onNext(StreamingInputCallRequest request) {
                if (!failed && !(failed = !compressedAsExpected(request.getExpectCompressed(), responses))) {
                    aggregated += request.getPayload().getBody().size();
                }
            }

            @Override
            public void onError(Throwable cancelled) {
                // the call is over; nothing to answer
            }

            @Override
            public void onCompleted() {
                if (!failed) {
                    responses.onNext(StreamingInputCallResponse.newBuilder()
                            .setAggregatedPayloadSize(aggregated).build());
                    responses.onCompleted();
                }
            }
        };
    }

    @Override
    public StreamObserver<StreamingOutputCallRequest> fullDuplexCall(
            StreamObserver<StreamingOutputCallResponse> responses) {
        Replies replies = new Replies((ServerCallStreamObserver<StreamingOutputCallResponse>) responses);
        return new StreamObserver<>() {
            @Override
            public void onNext(StreamingOutputCallRequest request) {
                EchoStatus status = request.getResponseStatus();
                if (status.getCode() != 0) {
                    replies.fail(Status.fromCodeValue(status.getCode()).withDescription(status.getMessage()));
                } else {
                    replies.send(request.getResponseParametersList());
                }
            }

            @Override
            public void onError(Throwable cancelled) {
                // the call is over; Replies sees it cancelled and sends nothing more
            }

            @Override
            public void onCompleted() {
                replies.complete();
            }
        };
    }

    /** {@code expect_compressed}: a request that should have come compressed and did not is INVALID_ARGUMENT. */
    private static boolean compressedAsExpected(BoolValue expected, StreamObserver<?> responses) {
        if (expected.getValue() && !InteropHeaders.REQUEST_COMPRESSED.get()) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription("expected a compressed request")
                    .asRuntimeException());
            return false;
        }
        return true;
    }

    /** {@code response_status}: the call ends with the status the client asked for. */
    private static boolean failedAsAsked(EchoStatus status, StreamObserver<?> responses) {
        if (status.getCode() == 0) {
            return false;
        }
        responses.onError(Status.fromCodeValue(status.getCode()).withDescription(status.getMessage())
                .asRuntimeException());
        return true;
    }

    private static Payload payload(int size) {
        return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
    }

    /**
     * One call's replies, in order, each after its {@code interval_us}: the next step waits for the one before, on
     * the pacing timer when there is an interval, else at once on the calling gRPC thread. grpc-java's call is not
     * thread-safe, so every send holds the observer's lock; a cancelled call gets nothing more.
     */
    private final class Replies {

        private final ServerCallStreamObserver<StreamingOutputCallResponse> responses;
        private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
        private boolean ended;

        Replies(ServerCallStreamObserver<StreamingOutputCallResponse> responses) {
            this.responses = responses;
            // Asked for compressed replies (ResponseParameters.compressed) are compressed, the others not.
            responses.setCompression("gzip");
            // A cancel is seen through isCancelled(); with a handler set, grpc-java expects that of the service.
            responses.setOnCancelHandler(() -> {
            });
        }

        void send(List<ResponseParameters> parameters) {
            for (ResponseParameters reply : parameters) {
                then(reply.getIntervalUs(), () -> {
                    responses.setMessageCompression(reply.getCompressed().getValue());
                    responses.onNext(StreamingOutputCallResponse.newBuilder()
                            .setPayload(payload(reply.getSize())).build());
                });
            }
        }

        void fail(Status status) {
            then(0, () -> {
                ended = true;
                responses.onError(status.asRuntimeException());
            });
        }

        void complete() {
            then(0, () -> {
                ended = true;
                responses.onCompleted();
            });
        }

        private void then(int intervalMicros, Runnable step) {
            Runnable guarded = () -> {
                synchronized (responses) {
                    if (!ended && !responses.isCancelled()) {
                        step.run();
                    }
                }
            };
            last = intervalMicros == 0 ? last.thenRun(guarded)
                    : last.thenCompose(done -> CompletableFuture.runAsync(guarded,
                            CompletableFuture.delayedExecutor(intervalMicros, TimeUnit.MICROSECONDS, pacing)));
        }
    }
}
