package dev.grpcpatterns.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grpcpatterns.support.ServiceTest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** The running service as a platform sees it: actuator over real HTTP, grpc.health.v1 over the real gRPC port. */
@ServiceTest
class OperationsEndpointsTest {

    private static final List<String> SERVICES = List.of("grpcpatterns.v1.ChatService", "grpcpatterns.v1.Greeter");

    @Autowired
    private TestRestTemplate http;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void healthHasTheGrpcServerAndProbeGroups() throws Exception {
        JsonNode health = get("/actuator/health", HttpStatus.OK);
        assertThat(health.path("status").asText()).isEqualTo("UP");
        JsonNode server = health.path("components").path("grpcServer");
        assertThat(server.path("status").asText()).isEqualTo("UP");
        assertThat(names(server.path("details").path("services"))).containsAll(SERVICES);
        assertThat(health.path("components").has("grpcChannel")).as("the demo channel is not our health").isFalse();

        assertThat(get("/actuator/health/liveness", HttpStatus.OK).path("status").asText()).isEqualTo("UP");
        JsonNode readiness = get("/actuator/health/readiness", HttpStatus.OK);
        assertThat(readiness.path("status").asText()).isEqualTo("UP");
        assertThat(readiness.path("components").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("readinessState", "grpcServer");

        // The port in the details is the one that answers: the standard health service says SERVING on it.
        int port = server.path("details").path("port").asInt();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
        try {
            HealthGrpc.HealthBlockingStub grpcHealth = HealthGrpc.newBlockingStub(channel);
            List<String> names = new ArrayList<>(SERVICES);
            names.add("");
            names.add(GrpcHealthBridge.LIVENESS);
            for (String name : names) {
                assertThat(grpcHealth.withDeadlineAfter(10, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.newBuilder().setService(name).build()).getStatus())
                        .as("gRPC health of '%s'", name)
                        .isEqualTo(ServingStatus.SERVING);
            }
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void infoHasBuildCommitAndServices() throws Exception {
        JsonNode info = get("/actuator/info", HttpStatus.OK);
        assertThat(info.path("build").path("version").asText()).isEqualTo("0.1.0-SNAPSHOT");
        // the commit of the fixture git.properties (ServiceTest): wired through, without needing a .git folder
        assertThat(info.path("git").path("commit").path("id").asText()).isEqualTo("0123456");
        assertThat(info.path("grpc.server").path("services").fieldNames()).toIterable().containsAll(SERVICES);
    }

    private JsonNode get(String path, HttpStatus expected) throws Exception {
        ResponseEntity<String> response = http.getForEntity(path, String.class);
        assertThat(response.getStatusCode()).as(path + ": " + response.getBody()).isEqualTo(expected);
        return json.readTree(response.getBody());
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(node -> names.add(node.asText()));
        return names;
    }
}
