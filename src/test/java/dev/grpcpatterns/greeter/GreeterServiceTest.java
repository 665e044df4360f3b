package dev.grpcpatterns.greeter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.ServiceTest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ServiceTest
class GreeterServiceTest {

    @GrpcClient("demo")
    private GreeterGrpc.GreeterBlockingStub greeter;

    @Test
    void greetsByName() {
        assertThat(greeter.sayHello(HelloRequest.newBuilder().setName("Hyeonghwan").build()).getResponseText())
                .isEqualTo("Hello, Hyeonghwan!");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void blankNameIsInvalidArgument(String name) {
        assertThatExceptionOfType(StatusRuntimeException.class)
                .isThrownBy(() -> greeter.sayHello(HelloRequest.newBuilder().setName(name).build()))
                .satisfies(e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("name must not be blank");
                });
    }
}
