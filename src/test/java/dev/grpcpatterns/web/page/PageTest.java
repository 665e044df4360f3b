package dev.grpcpatterns.web.page;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import dev.grpcpatterns.support.ServiceTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * The page's files and what it reads from the service, over real HTTP. What it does in a browser is
 * src/test/page's (headless Chromium against the packaged jar).
 */
@ServiceTest
class PageTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    private <T> HttpResponse<T> get(String path, HttpResponse.BodyHandler<T> body) throws IOException,
            InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(), body);
    }

    @Test
    void theRootIsThePage() throws Exception {
        HttpResponse<String> page = get("/", HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/html"));
        assertThat(page.body()).contains("<script type=\"importmap\">", "page/app.js");
    }

    @Test
    void theFilesThePageLoadsAreServed() throws Exception {
        for (String path : List.of("/page/app.js", "/page/calls.js", "/page/panel.js", "/page/style.css",
                "/page/lib/@bufbuild/protobuf/dist/esm/index.js",
                "/page/lib/@connectrpc/connect-web/dist/esm/index.js",
                "/page/lib/@improbable-eng/grpc-web/dist/grpc-web-client.umd.js")) {
            HttpResponse<Void> file = get(path, HttpResponse.BodyHandlers.discarding());
            assertThat(file.statusCode()).as(path).isEqualTo(200);
            // ES modules load only with a JavaScript type
            if (path.endsWith(".js")) {
                assertThat(file.headers().firstValue("content-type")).as(path)
                        .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
            }
        }
    }

    @Test
    void theDescriptorSetDescribesBothServicesAndTheErrorDetails() throws Exception {
        HttpResponse<byte[]> response = get(PageDescriptors.PATH, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        FileDescriptorSet set = FileDescriptorSet.parseFrom(response.body());
        assertThat(set.getFileList().stream().flatMap(file -> file.getServiceList().stream()
                .map(service -> file.getPackage() + "." + service.getName())))
                .containsExactly("grpcpatterns.v1.Greeter", "grpcpatterns.v1.ChatService");
        assertThat(set.getFileList().stream().map(FileDescriptorProto::getName))
                .contains("google/rpc/status.proto", "google/rpc/error_details.proto", "google/protobuf/any.proto")
                // every file after the files it imports
                .satisfies(names -> set.getFileList().forEach(file -> assertThat(names.indexOf(file.getName()))
                        .isGreaterThan(file.getDependencyList().stream().mapToInt(names::indexOf).max().orElse(-1))));
        ServiceDescriptorProto chat = set.getFileList().stream().flatMap(file -> file.getServiceList().stream())
                .filter(service -> service.getName().equals("ChatService")).findFirst().orElseThrow();
        assertThat(chat.getMethodList()).extracting(method -> method.getName())
                .containsExactly("ServerStream", "ClientStream", "Chat");
    }

    /** The article's inputs from application.yml, and the pause and deadline {@link ServiceTest} sets instead. */
    @Test
    void theFlowsThePagePlaysAreTheDemos() throws Exception {
        JsonNode flows = new ObjectMapper().readTree(get(PageDemo.PATH, HttpResponse.BodyHandlers.ofString()).body());
        assertThat(flows.path("name").asText()).isEqualTo("Hyeonghwan");
        assertThat(flows.path("serverStreamRequest").asText()).isEqualTo("start");
        assertThat(flows.path("clientStreamMessages")).extracting(JsonNode::asText)
                .containsExactly("msg1", "msg2", "msg3");
        assertThat(flows.path("chatMessages")).extracting(JsonNode::asText).containsExactly("Hello grpc!",
                "This is Bidirectional Streaming RPC!", "Is it working good?");
        assertThat(flows.path("chatPauseMillis").asLong()).isZero();
        assertThat(flows.path("deadlineMillis").asLong()).isEqualTo(10_000);
    }
}
