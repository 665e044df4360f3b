package dev.grpcpatterns.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.QuotaFailure;
import com.google.rpc.Status;
import dev.grpcpatterns.proto.v1.ChatMessage;
import dev.grpcpatterns.proto.v1.ChatServiceGrpc;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.ServiceTest;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.BlockingClientCall;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.junit.jupiter.api.Test;

/**
 * A caller's three kinds of mistake, over the real port: each status carries, beside its unchanged code and
 * description, a {@code google.rpc.Status} in {@code grpc-status-details-bin} that a client decodes field by field.
 */
@ServiceTest
class RichStatusTest {

    @GrpcClient("demo")
    private Channel channel;

    @Test
    void aBlankNameIsABadRequestOnTheNameField() throws InvalidProtocolBufferException {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
                GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .sayHello(HelloRequest.newBuilder().setName(" ").build()));

        Status details = details(e, Code.INVALID_ARGUMENT, "name must not be blank");
        BadRequest.FieldViolation violation = unpack(details, 0, BadRequest.class).getFieldViolations(0);
        assertThat(violation.getField()).isEqualTo("name");
        assertThat(violation.getDescription()).isEqualTo("must not be blank");
        assertErrorInfo(details, "BLANK_NAME", Map.of());
    }

    @Test
    void aClientStreamOverItsMessageLimitIsAQuotaFailureNamingTheLimitAndItsValue() throws Exception {
        BlockingClientCall<ChatMessage, ChatMessage> call = ChatServiceGrpc.newBlockingV2Stub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS).clientStream();
        StatusException failed = catchThrowableOfType(StatusException.class, () -> {
            for (int i = 0; i <= 10_000; i++) {   // one more than chat.client-stream.max-messages (application.yml)
                call.write(ChatMessage.newBuilder().setMessageText("x").build());
            }
            call.halfClose();
            call.read();
        });

        Status details = details(failed, Code.RESOURCE_EXHAUSTED,
                "more than 10000 messages in one ClientStream call");
        QuotaFailure.Violation violation = unpack(details, 0, QuotaFailure.class).getViolations(0);
        assertThat(violation.getSubject()).isEqualTo("chat.client-stream.max-messages");
        assertThat(violation.getDescription()).isEqualTo("chat.client-stream.max-messages is 10000");
        assertErrorInfo(details, "CLIENT_STREAM_LIMIT_EXCEEDED",
                Map.of("limit", "chat.client-stream.max-messages", "value", "10000"));
    }

    @Test
    void anUnparseableRequestIsABadRequestWithTheParsersReason() throws InvalidProtocolBufferException {
        // Field 1 announces 5 bytes of string, one follows.
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
                ClientCalls.blockingUnaryCall(channel, RAW_SAY_HELLO, CallOptions.DEFAULT.withDeadlineAfter(10,
                        TimeUnit.SECONDS), new byte[] {0x0A, 0x05, 'a'}));

        String reason = "While parsing a protocol message, the input ended unexpectedly in the middle of a field.  "
                + "This could mean either that the input has been truncated or that an embedded message "
                + "misreported its own length.";
        Status details = details(e, Code.INVALID_ARGUMENT,
                "request to grpcpatterns.v1.Greeter/SayHello could not be parsed: " + reason);
        BadRequest.FieldViolation violation = unpack(details, 0, BadRequest.class).getFieldViolations(0);
        assertThat(violation.getField()).isEmpty();
        assertThat(violation.getDescription()).isEqualTo(reason);
        assertErrorInfo(details, "UNPARSEABLE_REQUEST", Map.of());
    }

    /** The status's plain code and description as ever, and its details agreeing with them. */
    private static Status details(Throwable failure, Code code, String description) {
        io.grpc.Status plain = io.grpc.Status.fromThrowable(failure);
        assertThat(plain.getCode().value()).isEqualTo(code.getNumber());
        assertThat(plain.getDescription()).isEqualTo(description);
        Status details = StatusProto.fromThrowable(failure);
        assertThat(details.getCode()).isEqualTo(code.getNumber());
        assertThat(details.getMessage()).isEqualTo(description);
        assertThat(details.getDetailsList()).as("grpc-status-details-bin").hasSize(2);
        return details;
    }

    private static void assertErrorInfo(Status details, String reason, Map<String, String> metadata)
            throws InvalidProtocolBufferException {
        ErrorInfo info = unpack(details, 1, ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo(reason);
        assertThat(info.getDomain()).isEqualTo("grpcpatterns.v1");
        assertThat(info.getMetadataMap()).isEqualTo(metadata);
    }

    private static <T extends com.google.protobuf.Message> T unpack(Status details, int index, Class<T> type)
            throws InvalidProtocolBufferException {
        Any detail = details.getDetails(index);
        assertThat(detail.is(type)).as(detail.getTypeUrl()).isTrue();
        return detail.unpack(type);
    }

    /** SayHello with the request as raw bytes, so it can be one no protobuf parser accepts. */
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final MethodDescriptor<byte[], byte[]> RAW_SAY_HELLO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(GreeterGrpc.getSayHelloMethod().getFullMethodName())
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();
}
