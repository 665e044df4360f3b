package dev.grpcpatterns.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What one replica itself counted, read from its own {@code /actuator/metrics} over HTTP. */
public final class ReplicaMetrics {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplicaMetrics() {
    }

    /** SayHello calls the replica completed with OK. */
    public static long sayHelloOk(AppProcess replica) {
        return count(replica, "grpc.server.processing.duration", "COUNT", "method:SayHello", "statusCode:OK");
    }

    /** Chat messages the replica received (a test's stream sends one on opening, so new streams show here). */
    public static long chatMessagesReceived(AppProcess replica) {
        return count(replica, "grpc.server.requests.received", "COUNT", "method:Chat");
    }

    /** Chat answers the replica handed to its transport (a service writes only while the call is ready). */
    public static long chatMessagesSent(AppProcess replica) {
        return count(replica, "grpc.server.responses.sent", "COUNT", "method:Chat");
    }

    /** Calls in flight on the replica ({@code grpc.server.calls.active}, from Operations' OpenCalls). */
    public static long callsActive(AppProcess replica) {
        return count(replica, "grpc.server.calls.active", "VALUE");
    }

    private static long count(AppProcess replica, String meter, String statistic, String... tags) {
        StringBuilder uri = new StringBuilder("http://" + replica.host() + ":" + replica.httpPort() + "/actuator/metrics/" + meter);
        for (int i = 0; i < tags.length; i++) {
            uri.append(i == 0 ? '?' : '&').append("tag=").append(tags[i]);
        }
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(uri.toString())).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return 0; // no call of that kind yet: the meter (or its tag value) does not exist
            }
            if (response.statusCode() != 200) {
                throw new AssertionError(uri + " answered " + response.statusCode() + ": " + response.body());
            }
            for (JsonNode measurement : JSON.readTree(response.body()).path("measurements")) {
                if (statistic.equals(measurement.path("statistic").asText())) {
                    return measurement.path("value").asLong();
                }
            }
            throw new AssertionError(uri + " has no " + statistic + ": " + response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + uri, e);
        }
    }
}
