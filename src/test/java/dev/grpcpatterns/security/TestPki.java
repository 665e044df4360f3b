package dev.grpcpatterns.security;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A throwaway CA with a server and a client certificate, made at test time by the README's own script
 * ({@code src/test/security/make-certs.sh}), so no private key is ever committed. Two instances are two
 * unrelated PKIs: one's client is untrusted by a server that trusts the other's CA.
 */
record TestPki(Path dir) {

    private static final Path SCRIPT = Path.of("src/test/security/make-certs.sh");

    /** Makes a new PKI in {@code dir} (typically under a JUnit {@code @TempDir}, so the keys are deleted). */
    static TestPki create(Path dir) {
        try {
            Process process = new ProcessBuilder("bash", SCRIPT.toString(), dir.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(SCRIPT + " failed:\n" + output);
            }
            return new TestPki(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Path ca() {
        return dir.resolve("ca.crt");
    }

    Path serverCert() {
        return dir.resolve("server.crt");
    }

    Path serverKey() {
        return dir.resolve("server.key");
    }

    Path clientCert() {
        return dir.resolve("client.crt");
    }

    Path clientKey() {
        return dir.resolve("client.key");
    }

    /** A Spring resource location ({@code file:...}) for a file of this PKI. */
    static String resource(Path file) {
        return "file:" + file.toAbsolutePath();
    }

    /** Turns on TLS for the server of a Spring test on a free {@code port}, with this PKI's server certificate. */
    void serveTls(DynamicPropertyRegistry registry, int port) {
        registry.add("grpc.server.port", () -> port);
        registry.add("grpc.server.security.enabled", () -> true);
        registry.add("grpc.server.security.certificate-chain", () -> resource(serverCert()));
        registry.add("grpc.server.security.private-key", () -> resource(serverKey()));
    }

    /** As {@link #serveTls}, and only clients with a certificate from this CA get in (mutual TLS). */
    void serveMutualTls(DynamicPropertyRegistry registry, int port) {
        serveTls(registry, port);
        registry.add("grpc.server.security.client-auth", () -> "REQUIRE");
        registry.add("grpc.server.security.trust-cert-collection", () -> resource(ca()));
    }

    /** Points the demo channel at {@code port} over mutual TLS, trusting this CA, with this PKI's client certificate. */
    void demoOverMutualTls(DynamicPropertyRegistry registry, int port) {
        registry.add("grpc.client.demo.address", () -> "static://localhost:" + port);
        registry.add("grpc.client.demo.negotiation-type", () -> "TLS");
        registry.add("grpc.client.demo.security.trust-cert-collection", () -> resource(ca()));
        registry.add("grpc.client.demo.security.client-auth-enabled", () -> true);
        registry.add("grpc.client.demo.security.certificate-chain", () -> resource(clientCert()));
        registry.add("grpc.client.demo.security.private-key", () -> resource(clientKey()));
    }

    /** TLS credentials that trust this CA and present no client certificate. */
    ChannelCredentials trusting() {
        return tls(TlsChannelCredentials.newBuilder());
    }

    /** TLS credentials that trust this CA and present {@code identity}'s client certificate. */
    ChannelCredentials trusting(TestPki identity) {
        try {
            return tls(TlsChannelCredentials.newBuilder()
                    .keyManager(identity.clientCert().toFile(), identity.clientKey().toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ChannelCredentials tls(TlsChannelCredentials.Builder builder) {
        try {
            return builder.trustManager(ca().toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ManagedChannel channel(int port, ChannelCredentials credentials) {
        return Grpc.newChannelBuilderForAddress("localhost", port, credentials).build();
    }

    static ManagedChannel plaintextChannel(int port) {
        return channel(port, InsecureChannelCredentials.create());
    }
}
