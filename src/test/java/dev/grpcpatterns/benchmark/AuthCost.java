package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.benchmark.LoadGenerator.Workload;
import dev.grpcpatterns.support.AuthorizationServer;
import dev.grpcpatterns.support.AppProcess;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import net.devh.boot.grpc.client.security.CallCredentialsHelper;

/**
 * What identity costs (docs/security.md): the packaged jar with JWT authentication on (tokens from the test
 * authorization server, the verified-token cache on) against the same jar with it off, under the same load,
 * rounds alternating; a third server with authentication on and the cache off shows what the cache saves.
 * In the table, "service" is authentication on, "baseline" off. Rows: unary calls/s and Chat echo messages/s,
 * with server CPU per call or message.
 *
 * <p>Run: {@code ./mvnw -B -ntp package -DskipTests}, then {@code java -cp "target/test-classes:target/classes:$(cat
 * target/cp.txt)" -Dbench.jar=target/grpc-patterns.jar dev.grpcpatterns.benchmark.AuthCost} after {@code ./mvnw -q
 * dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test}. Settings as the benchmark's
 * ({@code bench.*}), with its pom defaults.
 */
public final class AuthCost {

    private static final List<Workload> WORKLOADS = List.of(Workload.UNARY, Workload.CHAT);

    private AuthCost() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target/benchmark"));
        Files.createDirectories(out);
        String jar = System.getProperty("bench.jar", "target/grpc-patterns.jar");
        List<String> jvmArgs = List.of(System.getProperty("bench.server-jvm-args",
                "-XX:+UseSerialGC -Xmx64m -XX:TrimNativeHeapInterval=5000").split(" "));
        LoadGenerator.Shape shape = new LoadGenerator.Shape(Integer.getInteger("bench.channels", 2),
                Integer.getInteger("bench.outstanding", 16), Integer.getInteger("bench.client-stream-messages", 100),
                Integer.getInteger("bench.chat-messages", 1000), Integer.getInteger("bench.chat-window", 8));
        Duration warmup = Duration.ofSeconds(Integer.getInteger("bench.warmup-seconds", 10));
        Duration round = Duration.ofSeconds(Integer.getInteger("bench.round-seconds", 3));
        int rounds = Integer.getInteger("bench.rounds", 5);

        Report report = new Report();
        try (AuthorizationServer authorizationServer = AuthorizationServer.start()) {
            AtomicReference<String> token = new AtomicReference<>(authorizationServer.token("chat-client", "chat"));
            CallCredentials credentials = CallCredentialsHelper.bearerAuth(token::get);
            ClientInterceptor bearer = new ClientInterceptor() {
                @Override
                public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options,
                        Channel next) {
                    return next.newCall(method, options.withCallCredentials(credentials));
                }
            };
            List<String> jwt = List.of(
                    "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + authorizationServer.issuer(),
                    "--spring.security.oauth2.resourceserver.jwt.audiences=" + AuthorizationServer.AUDIENCE);
            List<String> noCache = new ArrayList<>(jwt);
            noCache.add("--identity.token-cache-size=0");
            List<ServerProcess> servers = new ArrayList<>();
            try {
                servers.add(start(jvmArgs, jar, List.of(), out.resolve("auth-off.log")));
                servers.add(start(jvmArgs, jar, jwt, out.resolve("auth-on.log"), bearer));
                servers.add(start(jvmArgs, jar, noCache, out.resolve("auth-on-no-cache.log"), bearer));
                List<LoadGenerator> loads = List.of(new LoadGenerator(servers.get(0).port(), shape),
                        new LoadGenerator(servers.get(1).port(), shape, bearer),
                        new LoadGenerator(servers.get(2).port(), shape, bearer));
                try {
                    for (Workload workload : WORKLOADS) {
                        for (LoadGenerator load : loads) {
                            load.run(workload, warmup);
                        }
                    }
                    for (int r = 0; r < rounds; r++) {
                        System.out.printf("round %d of %d%n", r + 1, rounds);
                        // Tokens live 5 minutes: a fresh one each round (the one before stays valid meanwhile).
                        token.set(authorizationServer.token("chat-client", "chat"));
                        for (Workload workload : WORKLOADS) {
                            for (int i = 0; i < 3; i++) {
                                int s = (r + i) % 3;
                                double cpuBefore = servers.get(s).cpuMillis();
                                LoadGenerator.Result result = loads.get(s).run(workload, round);
                                double cpu = (servers.get(s).cpuMillis() - cpuBefore) * 1000 / result.total();
                                String variant = s == 2 ? ", no token cache" : "";
                                // s 0 (off) is the baseline of both "on" rows.
                                if (s == 0) {
                                    report.add(workload.label, false, result.perSecond());
                                    report.add(workload.label + ", no token cache", false, result.perSecond());
                                    report.add(workload.unit + ": server CPU each (µs)", false, cpu);
                                    report.add(workload.unit + ": server CPU each (µs), no token cache", false, cpu);
                                } else {
                                    report.add(workload.label + variant, true, result.perSecond());
                                    report.add(workload.unit + ": server CPU each (µs)" + variant, true, cpu);
                                }
                            }
                        }
                    }
                } finally {
                    for (LoadGenerator load : loads) {
                        load.close();
                    }
                }
            } finally {
                for (ServerProcess server : servers) {
                    server.close();
                }
            }
        }
        String result = "# grpc-patterns: authentication on (service) against off (baseline)\n\n"
                + Runtime.getRuntime().availableProcessors() + " cores, load average at end "
                + Files.readString(Path.of("/proc/loadavg")).trim() + "\n\n" + report.table();
        System.out.println(result);
        Files.writeString(out.resolve("auth-cost.md"), result);
    }

    private static ServerProcess start(List<String> jvmArgs, String jar, List<String> args, Path log,
            ClientInterceptor... interceptors) throws Exception {
        int port = AppProcess.freePort();
        List<String> command = ServiceCommand.of(jvmArgs, List.of("-jar", jar), port, args);
        return ServerProcess.start(command, Map.of("MALLOC_ARENA_MAX", "2"), port, log, interceptors);
    }
}
