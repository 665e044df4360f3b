package dev.grpcpatterns.scaling;

import dev.grpcpatterns.support.TestNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Debian's nginx, started by a test on a test host with the shipped {@code deploy/nginx/grpc-patterns.conf}: its own
 * prefix, pid file, logs and temporary directories (not the system service), the shipped file included unchanged
 * but for the replicas' addresses in its {@code upstream} block.
 */
final class NginxProxy implements AutoCloseable {

    static final Path SHIPPED = Path.of("deploy/nginx/grpc-patterns.conf");
    private static final Pattern UPSTREAM_SERVER = Pattern.compile("(?m)^(\\s*)server \\S+:50051( [^;]*)?;\\n");

    private final Process process;
    private final Path directory;

    private NginxProxy(Process process, Path directory) {
        this.process = process;
        this.directory = directory;
    }

    /** Why nginx can't be started here, or null when it can. */
    static String unavailableBecause() {
        return Files.isExecutable(Path.of("/usr/sbin/nginx")) ? null
                : "needs Debian's nginx (/usr/sbin/nginx); .ci/run installs it";
    }

    /** Starts nginx on {@code host} in front of {@code replicas} ({@code address:port} each) and waits for its port. */
    static NginxProxy start(TestNetwork.Host host, List<String> replicas) throws InterruptedException {
        try {
            Path directory = Files.createTempDirectory("gp19-nginx-");
            for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
                Path dir = Files.createDirectories(directory.resolve(temp));
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
            Files.writeString(directory.resolve("grpc-patterns.conf"), withUpstreams(Files.readString(SHIPPED), replicas));
            Files.writeString(directory.resolve("nginx.conf"), """
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log info;
                    events { worker_connections 4096; }
                    http {
                        log_format upstreams '$status $request_uri $upstream_addr $upstream_status';
                        access_log %1$s/access.log upstreams;
                        client_body_temp_path %1$s/client_body;
                        proxy_temp_path %1$s/proxy;
                        fastcgi_temp_path %1$s/fastcgi;
                        uwsgi_temp_path %1$s/uwsgi;
                        scgi_temp_path %1$s/scgi;
                        include %1$s/grpc-patterns.conf;
                    }
                    """.formatted(directory));
            List<String> command = new ArrayList<>(host.prefix());
            command.addAll(List.of("/usr/sbin/nginx", "-p", directory.toString(), "-c",
                    directory.resolve("nginx.conf").toString(), "-g", "daemon off;"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("stdout.log").toFile()).start();
            NginxProxy nginx = new NginxProxy(process, directory);
            Instant end = Instant.now().plus(Duration.ofSeconds(30));
            while (!host.exec("ss", "-ltn").contains(":50051 ")) {
                if (!process.isAlive() || Instant.now().isAfter(end)) {
                    String log = nginx.errorLog();
                    nginx.close();
                    throw new AssertionError("nginx did not start listening on 50051: " + log);
                }
                Thread.sleep(100);
            }
            return nginx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shipped file with its upstream servers replaced by {@code replicas}, each keeping the shipped parameters. */
    static String withUpstreams(String shipped, List<String> replicas) {
        Matcher server = UPSTREAM_SERVER.matcher(shipped);
        StringBuilder result = new StringBuilder();
        boolean first = true;
        while (server.find()) {
            String parameters = server.group(2) == null ? "" : server.group(2);
            String replacement = !first ? "" : replicas.stream()
                    .map(replica -> server.group(1) + "server " + replica + parameters + ";\n")
                    .collect(Collectors.joining());
            server.appendReplacement(result, Matcher.quoteReplacement(replacement));
            first = false;
        }
        if (first) {
            throw new AssertionError(SHIPPED + " has no 'server host:50051 ...;' line in its upstream block");
        }
        return server.appendTail(result).toString();
    }

    /** The access log: one line per call, {@code status uri upstream-addresses upstream-statuses}. */
    List<String> accessLog() {
        return read("access.log").lines().toList();
    }

    String errorLog() {
        return read("error.log");
    }

    private String read(String file) {
        try {
            Path path = directory.resolve(file);
            return Files.exists(path) ? Files.readString(path) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: nginx's fast shutdown
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // nginx's workers are its children: the namespace's removal does not end them, the master's SIGTERM does.
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
