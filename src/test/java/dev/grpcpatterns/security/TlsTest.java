package dev.grpcpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import dev.grpcpatterns.support.AppProcess;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** TLS on the real gRPC port (no client certificates asked for): only TLS clients that trust its CA get in. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "demo.enabled=false")
class TlsTest {

    private static final int PORT = AppProcess.freePort();

    @TempDir
    static Path certs;

    static TestPki pki;

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) {
        pki = TestPki.create(certs.resolve("server-pki"));
        pki.serveTls(registry, PORT);
    }

    @Test
    void tlsClientTrustingTheCaIsServed() {
        assertThat(sayHello(TestPki.channel(PORT, pki.trusting()))).isEqualTo("Hello, TLS!");
    }

    @Test
    void plaintextClientIsRefused() {
        assertRefused(TestPki.plaintextChannel(PORT));
    }

    @Test
    void clientThatDoesNotTrustTheServerCertificateIsRefused() {
        TestPki stranger = TestPki.create(certs.resolve("other-pki"));
        assertRefused(TestPki.channel(PORT, stranger.trusting()));
    }

    static String sayHello(ManagedChannel channel) {
        try {
            return GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .sayHello(HelloRequest.newBuilder().setName("TLS").build())
                    .getResponseText();
        } finally {
            channel.shutdownNow();
        }
    }

    /** The connection never gets to a call: the client sees UNAVAILABLE, not an answer and not a hang. */
    static void assertRefused(ManagedChannel channel) {
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, () -> sayHello(channel));
        assertThat(refused).as("the call must fail").isNotNull();
        assertThat(refused.getStatus().getCode()).as(refused.getStatus().toString()).isEqualTo(Status.Code.UNAVAILABLE);
    }
}
