package dev.grpcpatterns.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.ErrorInfo;
import dev.grpcpatterns.errors.RichStatus;
import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;
import net.devh.boot.grpc.server.service.GrpcService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/** Exceptions escaping a service, through net.devh's advice: the status the caller gets and what we log. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "grpc.server.port=0", "demo.enabled=false"})
@ExtendWith(OutputCaptureExtension.class)
class StatusAdviceTest {

    private static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final MethodDescriptor<String, String> FAIL = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("test.Faulty/Fail")
            .setRequestMarshaller(UTF8)
            .setResponseMarshaller(UTF8)
            .build();

    /** The port this context's server got (a cached context of another test class has its own). */
    static final class GrpcPort implements ApplicationListener<GrpcServerStartedEvent> {

        private volatile int port;

        @Override
        public void onApplicationEvent(GrpcServerStartedEvent event) {
            port = event.getPort();
        }
    }

    /** A service that fails the way it is asked to. */
    @TestConfiguration
    static class FaultyService {

        @Bean
        GrpcPort grpcPort() {
            return new GrpcPort();
        }

        @Bean
        @GrpcService
        BindableService faulty() {
            return () -> ServerServiceDefinition.builder("test.Faulty")
                    .addMethod(FAIL, ServerCalls.asyncUnaryCall((request, response) -> {
                        switch (request) {
                            case "bug" -> throw new IllegalStateException("secret: the database password");
                            case "argument" -> throw new IllegalArgumentException("secret: key 'db-admin' unknown");
                            case "detailed" -> throw RichStatus.invalidArgument("name", "must not be blank",
                                    "BLANK_NAME", "name must not be blank");
                            default -> throw Status.NOT_FOUND.withDescription("no chat " + request)
                                    .withCause(new IllegalStateException("secret: internal id"))
                                    .asRuntimeException();
                        }
                    }))
                    .build();
        }
    }

    @Autowired
    private GrpcPort grpcPort;
    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", grpcPort.port).usePlaintext().build();
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    private Status call(String failure) {
        return catchThrowableOfType(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(channel, FAIL, CallOptions.DEFAULT, failure)).getStatus();
    }

    @Test
    void aBugIsInternalWithNothingOfItForTheCallerAndAStackTraceInTheLog(CapturedOutput log) {
        Status status = call("bug");

        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getDescription()).isEqualTo("internal error");
        assertThat(log.getOut()).contains("ERROR").contains("secret: the database password")
                .contains("at dev.grpcpatterns.reliability.StatusAdviceTest");
    }

    @Test
    void anIllegalArgumentFromALibraryIsInternalWithNothingOfItsMessageForTheCaller(CapturedOutput log) {
        Status status = call("argument");

        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getDescription()).isEqualTo("internal error");
        assertThat(log.getOut()).contains("ERROR").contains("secret: key 'db-admin' unknown");
    }

    @Test
    void aChosenStatusPassesWithItsDescriptionOnly() {
        Status status = call("42");

        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getDescription()).isEqualTo("no chat 42");
    }

    @Test
    void aChosenStatusKeepsItsErrorDetails() throws Exception {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(channel, FAIL, CallOptions.DEFAULT, "detailed"));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).isEqualTo("name must not be blank");
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        assertThat(details.getDetailsList()).as("grpc-status-details-bin").hasSize(2);
        assertThat(details.getDetails(1).unpack(ErrorInfo.class).getReason()).isEqualTo("BLANK_NAME");
    }
}
