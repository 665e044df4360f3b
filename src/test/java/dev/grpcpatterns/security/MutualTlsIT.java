package dev.grpcpatterns.security;

import static dev.grpcpatterns.security.TestPki.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.support.AppProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar with mutual TLS switched on by environment variables alone, as a platform would do it: the
 * certificate from a file, the private key's content inline ({@code base64:}). Its own demo ({@code self:self})
 * and a {@code client}-profile process get in with a client certificate; a client without one is refused.
 */
class MutualTlsIT {

    private static final Duration RUN = Duration.ofSeconds(120);

    @TempDir
    static Path certs;

    static TestPki pki;
    static AppProcess server;

    @BeforeAll
    static void startServerWithMutualTls() throws IOException, InterruptedException {
        pki = TestPki.create(certs.resolve("pki"));
        String inlineKey = "base64:" + Base64.getEncoder().encodeToString(Files.readAllBytes(pki.serverKey()));
        // Spring's relaxed binding: upper case, dots to underscores, dashes dropped.
        server = AppProcess.start(Map.ofEntries(
                Map.entry("GRPC_SERVER_SECURITY_ENABLED", "true"),
                Map.entry("GRPC_SERVER_SECURITY_CERTIFICATECHAIN", resource(pki.serverCert())),
                Map.entry("GRPC_SERVER_SECURITY_PRIVATEKEY", inlineKey),
                Map.entry("GRPC_SERVER_SECURITY_TRUSTCERTCOLLECTION", resource(pki.ca())),
                Map.entry("GRPC_SERVER_SECURITY_CLIENTAUTH", "REQUIRE"),
                Map.entry("GRPC_CLIENT_DEMO_NEGOTIATIONTYPE", "TLS"),
                Map.entry("GRPC_CLIENT_DEMO_SECURITY_TRUSTCERTCOLLECTION", resource(pki.ca())),
                Map.entry("GRPC_CLIENT_DEMO_SECURITY_AUTHORITYOVERRIDE", "localhost"),
                Map.entry("GRPC_CLIENT_DEMO_SECURITY_CLIENTAUTHENABLED", "true"),
                Map.entry("GRPC_CLIENT_DEMO_SECURITY_CERTIFICATECHAIN", resource(pki.clientCert())),
                Map.entry("GRPC_CLIENT_DEMO_SECURITY_PRIVATEKEY", resource(pki.clientKey()))),
                "--demo.chat-pause=0s", "--chat.server-stream.interval=0s");
        server.awaitOutput("Started GrpcPatternsApplication", RUN);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void theServicesOwnDemoPassesOverMutualTls() throws InterruptedException {
        server.awaitOutput("Demo finished: all four patterns answered", RUN);
    }

    @Test
    void clientProfileWithATrustedCertificateExitsZero() throws InterruptedException {
        try (AppProcess client = client(
                "--grpc.client.demo.security.client-auth-enabled=true",
                "--grpc.client.demo.security.certificate-chain=" + resource(pki.clientCert()),
                "--grpc.client.demo.security.private-key=" + resource(pki.clientKey()))) {
            assertThat(client.awaitExit(RUN)).as(client.output()).isZero();
            assertThat(client.output()).contains("Hello, Hyeonghwan!", "Received message: Received: Is it working good?");
        }
    }

    @Test
    void clientProfileWithoutACertificateIsRefused() throws InterruptedException {
        try (AppProcess client = client()) {
            assertThat(client.awaitExit(RUN)).as(client.output()).isEqualTo(1);
            assertThat(client.output()).contains("Demo failed: Status{code=UNAVAILABLE");
        }
    }

    /** A {@code client}-profile process over TLS that trusts the server's CA, plus {@code clientCertificate} args. */
    private static AppProcess client(String... clientCertificate) {
        List<String> args = new ArrayList<>(List.of("--spring.profiles.active=client",
                "--grpc.client.demo.address=static://localhost:" + server.grpcPort(),
                "--grpc.client.demo.negotiation-type=TLS",
                "--grpc.client.demo.security.trust-cert-collection=" + resource(pki.ca()),
                "--demo.chat-pause=0s", "--demo.deadline=20s"));
        args.addAll(List.of(clientCertificate));
        return AppProcess.run(args.toArray(String[]::new));
    }
}
