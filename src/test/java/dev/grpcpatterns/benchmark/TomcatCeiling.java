package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.proto.v1.HelloResponse;
import dev.grpcpatterns.support.RawHttp2Client;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * What HTTP/1.1 on Tomcat allows on this machine, the ceiling of every web row of {@link WebCost}: the Tomcat the jar
 * runs (same version, the HTTP port's 8 threads), in a JVM with the same flags, answering every POST with the bytes
 * of gRPC-Web's answer to SayHello ({@code Hello, benchmark!} and {@code grpc-status: 0}, by {@code Content-Length})
 * from a servlet that does nothing else: no call, no filters. {@code /sync} answers on the thread that read the
 * request; {@code /async} the way a web call does, through {@code startAsync()}, answered and completed on another thread.
 *
 * <p>Benchmark only (test scope): {@code java -cp <test classpath> dev.grpcpatterns.benchmark.TomcatCeiling <port>}.
 */
public final class TomcatCeiling {

    private TomcatCeiling() {
    }

    public static void main(String[] args) throws Exception {
        byte[] reply = RawHttp2Client.frame(HelloResponse.newBuilder().setResponseText("Hello, benchmark!").build()
                .toByteArray());
        byte[] trailers = "grpc-status: 0\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] answer = new byte[reply.length + 5 + trailers.length];
        System.arraycopy(reply, 0, answer, 0, reply.length);
        answer[reply.length] = (byte) 0x80;
        answer[reply.length + 4] = (byte) trailers.length;
        System.arraycopy(trailers, 0, answer, reply.length + 5, trailers.length);

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat-ceiling").toString());
        Connector connector = new Connector();
        connector.setPort(Integer.parseInt(args[0]));
        connector.setProperty("address", "127.0.0.1");
        // The HTTP port's settings (application.yml's server.tomcat.threads; Boot's keep-alive default).
        connector.setProperty("maxThreads", "8");
        connector.setProperty("minSpareThreads", "1");
        connector.setProperty("maxKeepAliveRequests", "100");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        ExecutorService other = Executors.newSingleThreadExecutor();
        Tomcat.addServlet(context, "ceiling", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                request.getInputStream().readAllBytes();
                if (request.getRequestURI().equals("/async")) {
                    AsyncContext async = request.startAsync();
                    other.execute(() -> {
                        try {
                            answer(response, answer);
                        } catch (IOException gone) {
                            // The client went away: nothing to answer.
                        }
                        async.complete();
                    });
                } else {
                    answer(response, answer);
                }
            }
        }).setAsyncSupported(true);
        context.addServletMappingDecoded("/*", "ceiling");
        tomcat.start();
        tomcat.getServer().await();
    }

    private static void answer(HttpServletResponse response, byte[] answer) throws IOException {
        response.setContentType("application/grpc-web+proto");
        response.setContentLength(answer.length);
        response.getOutputStream().write(answer);
    }
}
