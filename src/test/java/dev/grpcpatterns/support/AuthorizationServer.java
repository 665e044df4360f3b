package dev.grpcpatterns.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The tests' Spring Authorization Server ({@code src/test/security/authserver}) as a process of its own on a free
 * port: client-credentials tokens over real HTTP, and the test endpoints to rotate its key and sign odd claims.
 * Built once per test JVM by its own Maven build, so none of it is on the service's classpath.
 */
public final class AuthorizationServer implements AutoCloseable {

    public static final String AUDIENCE = "grpc-patterns";
    private static final Path PROJECT = Path.of("src/test/security/authserver");
    private static final Path JAR = PROJECT.resolve("target/test-authorization-server.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static boolean built;

    private final AppProcess process;
    private final int port;

    private AuthorizationServer(AppProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static AuthorizationServer start() {
        build();
        int port = AppProcess.freePort();
        // Its own settings only, not the service's application.yml in the working directory.
        AppProcess process = AppProcess.runJar(JAR, List.of("-XX:TieredStopAtLevel=1"), "--server.port=" + port,
                "--spring.config.location=classpath:/application.yml");
        try {
            process.awaitOutput("Started TestAuthorizationServer", Duration.ofSeconds(120));
        } catch (InterruptedException e) {
            process.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (AssertionError e) {
            process.close();
            throw e;
        }
        return new AuthorizationServer(process, port);
    }

    private static synchronized void build() {
        if (built) {
            return;
        }
        run(new ProcessBuilder("./mvnw", "-q", "-B", "-ntp", "-f", PROJECT.resolve("pom.xml").toString(),
                "package", "-DskipTests"), Duration.ofMinutes(10));
        built = true;
    }

    private static void run(ProcessBuilder command, Duration timeout) {
        try {
            Path log = Files.createTempFile("authserver-build-", ".log");
            Process process = command.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(command.command() + " failed:\n" + Files.readString(log));
            }
            Files.delete(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The issuer as the service is told it: tokens asked for at this address carry it. */
    public String issuer() {
        return "http://localhost:" + port;
    }

    public String jwkSetUri() {
        return issuer() + "/oauth2/jwks";
    }

    public String tokenUri() {
        return issuer() + "/oauth2/token";
    }

    /**
     * A client-credentials access token of {@code client} (its secret is {@code <name>-secret}) with the
     * {@code scopes} asked for (none asked, none granted).
     */
    public String token(String client, String... scopes) {
        return tokenAt("localhost", client, scopes);
    }

    /** As {@link #token}, asked for at {@code host}: its issuer is {@code http://<host>:<port>}. */
    public String tokenAt(String host, String client, String... scopes) {
        String secret = client.replace("-client", "-secret");
        String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"
                        + (scopes.length == 0 ? "" : "&scope=" + String.join("+", scopes))))
                .timeout(Duration.ofSeconds(30)).build();
        try {
            return JSON.readTree(send(request)).get("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JWK set the service fetches, as JSON. */
    public String jwkSet() {
        return send(HttpRequest.newBuilder(URI.create(jwkSetUri())).timeout(Duration.ofSeconds(30)).build());
    }

    /** {@code claims} (times as epoch seconds) signed RS256 with the server's current key. */
    public String mint(Map<String, Object> claims) {
        try {
            return send(HttpRequest.newBuilder(URI.create(issuer() + "/test/mint"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(claims)))
                    .timeout(Duration.ofSeconds(30)).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many access tokens {@code client} was issued so far. */
    public int issued(String client) {
        return Integer.parseInt(send(HttpRequest.newBuilder(URI.create(issuer() + "/test/issued/" + client))
                .timeout(Duration.ofSeconds(30)).build()));
    }

    /** A new signing key; the former stays in the JWK set. Answers the new key's id. */
    public String rotateKey() {
        return send(HttpRequest.newBuilder(URI.create(issuer() + "/test/rotate"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build());
    }

    private static String send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
