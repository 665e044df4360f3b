package dev.grpcpatterns.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.support.FuzzedService;
import dev.grpcpatterns.support.OpenCalls;
import dev.grpcpatterns.support.TracesInLog;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Raw request bytes, as any client could send them, through the real port and the whole interceptor chain of each
 * of the four methods. Whatever the bytes, a call ends with a status we document (never {@code UNKNOWN} or
 * {@code INTERNAL}), no stack trace reaches the caller or our log, and no call stays open.
 *
 * <p>{@code ./mvnw verify} runs the committed inputs ({@code src/test/resources/dev/grpcpatterns/reliability/
 * RequestFuzzTestInputs/<method>/}, each a past finding or seed) and an empty one; {@code JAZZER_FUZZ=1} fuzzes the
 * one method named by {@code -Dtest} (docs/reliability.md#fuzzing).
 */
@FuzzedService
class RequestFuzzTest {

    /** At most this many messages and bytes each in one fuzzed stream: enough for every state a stream has. */
    private static final int MAX_MESSAGES = 8;
    private static final int MAX_MESSAGE_BYTES = 512;

    private static final Set<Status.Code> UNARY = Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT);
    private static final Set<Status.Code> CLIENT_STREAM = Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT,
            Status.Code.RESOURCE_EXHAUSTED);

    @RegisterExtension
    static final TracesInLog traces = new TracesInLog();

    @GrpcClient("demo")
    private Channel channel;

    @Autowired
    private MeterRegistry meters;

    @FuzzTest(maxDuration = "10m")
    void sayHello(byte[] request) {
        check(call(GreeterGrpc.getSayHelloMethod(), List.of(request), false), UNARY);
    }

    @FuzzTest(maxDuration = "10m")
    void serverStream(byte[] request) {
        check(call(ChatServiceGrpc.getServerStreamMethod(), List.of(request), false), UNARY);
    }

    @FuzzTest(maxDuration = "10m")
    void clientStream(FuzzedDataProvider data) {
        boolean cancel = data.consumeBoolean();
        check(call(ChatServiceGrpc.getClientStreamMethod(), messages(data), cancel), CLIENT_STREAM);
    }

    @FuzzTest(maxDuration = "10m")
    void chat(FuzzedDataProvider data) {
        boolean cancel = data.consumeBoolean();
        check(call(ChatServiceGrpc.getChatMethod(), messages(data), cancel), UNARY);
    }

    private static List<byte[]> messages(FuzzedDataProvider data) {
        List<byte[]> messages = new ArrayList<>();
        while (messages.size() < MAX_MESSAGES && data.remainingBytes() > 0) {
            messages.add(data.consumeBytes(data.consumeInt(0, MAX_MESSAGE_BYTES)));
        }
        return messages;
    }

    /** The call's status: {@code null} when the client cancelled it, after sending the messages. */
    private Status call(MethodDescriptor<?, ?> typed, List<byte[]> messages, boolean cancel) {
        MethodDescriptor<byte[], byte[]> raw = typed.toBuilder(RawBytes.INSTANCE, RawBytes.INSTANCE).build();
        ClientCall<byte[], byte[]> call = channel.newCall(raw, CallOptions.DEFAULT.withDeadlineAfter(30,
                TimeUnit.SECONDS));
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.request(Integer.MAX_VALUE);
        messages.forEach(call::sendMessage);
        if (cancel) {
            call.cancel("the fuzzer cancels", null);
        } else {
            call.halfClose();
        }
        Status status = closed.orTimeout(30, TimeUnit.SECONDS).join();
        return cancel ? null : status;
    }

    private void check(Status status, Set<Status.Code> documented) {
        if (status != null) {
            assertThat(status.getCode()).as("status %s", status).isIn(documented);
            String description = String.valueOf(status.getDescription());
            assertThat(description).as("a status description without a stack trace")
                    .doesNotContain("\tat ", "Exception");
        }
        assertThat(traces.drain()).as("log events with a stack trace or at ERROR").isEmpty();
        OpenCalls.awaitNone(meters);
    }

    private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
