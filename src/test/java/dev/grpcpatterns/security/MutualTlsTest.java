package dev.grpcpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.demo.DemoFlows;
import dev.grpcpatterns.support.AppProcess;
import dev.grpcpatterns.support.ArticleOutput;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Mutual TLS on the real gRPC port ({@code client-auth: REQUIRE}): only clients presenting a certificate signed
 * by the trusted CA are served, and the demo client reaches it with settings alone ({@code grpc.client.demo.*}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"demo.enabled=false", "demo.chat-pause=0s", "chat.server-stream.interval=0s"})
@Import(DemoFlows.class)
class MutualTlsTest {

    private static final int PORT = AppProcess.freePort();

    @TempDir
    static Path certs;

    static TestPki pki;

    @DynamicPropertySource
    static void mutualTls(DynamicPropertyRegistry registry) {
        pki = TestPki.create(certs.resolve("server-pki"));
        pki.serveMutualTls(registry, PORT);
        pki.demoOverMutualTls(registry, PORT);
    }

    @Autowired
    DemoFlows demo;

    @Test
    void clientWithATrustedCertificateIsServed() {
        assertThat(TlsTest.sayHello(TestPki.channel(PORT, pki.trusting(pki)))).isEqualTo("Hello, TLS!");
    }

    @Test
    void clientWithoutACertificateIsRefused() {
        TlsTest.assertRefused(TestPki.channel(PORT, pki.trusting()));
    }

    @Test
    void clientWithACertificateFromAnotherCaIsRefused() {
        TestPki stranger = TestPki.create(certs.resolve("other-pki"));
        TlsTest.assertRefused(TestPki.channel(PORT, pki.trusting(stranger)));
    }

    @Test
    void plaintextClientIsRefused() {
        TlsTest.assertRefused(TestPki.plaintextChannel(PORT));
    }

    @Test
    void demoFlowsPassOverMutualTls() throws InterruptedException {
        List<String> lines = new CopyOnWriteArrayList<>();
        demo.runAll(lines::add);
        assertThat(lines).isEqualTo(ArticleOutput.LINES);
    }
}
