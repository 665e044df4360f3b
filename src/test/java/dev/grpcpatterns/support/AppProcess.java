package dev.grpcpatterns.support;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar as a separate {@code java -jar} process, on free ports, with its output in a file.
 * Failsafe passes the jar's path as the {@code app.jar} system property.
 */
public final class AppProcess implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final int grpcPort;
    private final int httpPort;
    private final String host;

    private AppProcess(Process process, Path output, int grpcPort, int httpPort, String host) {
        this.process = process;
        this.output = output;
        this.grpcPort = grpcPort;
        this.httpPort = httpPort;
        this.host = host;
    }

    /** Starts the jar as a server on free ports; {@code args} are extra Spring arguments ({@code --name=value}). */
    public static AppProcess start(String... args) {
        return start(Map.of(), args);
    }

    /** As {@link #start(String...)}, with extra {@code environment} variables, as a platform would set them. */
    public static AppProcess start(Map<String, String> environment, String... args) {
        int grpcPort = freePort();
        int httpPort = freePort();
        List<String> springArgs = new ArrayList<>(List.of("--grpc.server.port=" + grpcPort, "--server.port=" + httpPort));
        springArgs.addAll(List.of(args));
        return launch(List.of(), environment, springArgs, grpcPort, httpPort, "localhost");
    }

    /**
     * Starts the jar as a server on a test host ({@link TestNetwork.Host}), reached at {@code address}, on the given
     * ports (a fresh namespace has every port free, and a restarted replica must come back on the same ones).
     */
    public static AppProcess startOn(TestNetwork.Host host, String address, int grpcPort, int httpPort,
            String... args) {
        List<String> springArgs = new ArrayList<>(List.of("--grpc.server.port=" + grpcPort, "--server.port=" + httpPort));
        springArgs.addAll(List.of(args));
        return launch(host.prefix(), Map.of(), springArgs, grpcPort, httpPort, address);
    }

    /** Starts the jar with exactly {@code args}, e.g. the {@code client} profile, which opens no ports. */
    public static AppProcess run(String... args) {
        return launch(List.of(), Map.of(), List.of(args), -1, -1, "localhost");
    }

    /** Another jar (e.g. the security tests' authorization server) as a process of its own, with {@code args}. */
    public static AppProcess runJar(Path jar, List<String> javaOptions, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(javaOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        return startCommand(Map.of(), command, -1, -1, "localhost");
    }

    private static AppProcess launch(List<String> prefix, Map<String, String> environment, List<String> springArgs,
            int grpcPort, int httpPort, String host) {
        // ip netns exec replaces itself with the command: the process is the JVM, and signals reach it.
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(javaBinary(), "-jar", jar()));
        command.addAll(springArgs);
        return startCommand(environment, command, grpcPort, httpPort, host);
    }

    private static AppProcess startCommand(Map<String, String> environment, List<String> command, int grpcPort,
            int httpPort, String host) {
        try {
            Path output = Files.createTempFile("grpc-patterns-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            return new AppProcess(process, output, grpcPort, httpPort, host);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String jar() {
        String jar = System.getProperty("app.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("app.jar must name the packaged jar (run through failsafe: ./mvnw verify)");
        }
        return jar;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public int grpcPort() {
        return grpcPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The host name or address the process's ports are reached at. */
    public String host() {
        return host;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** A plaintext channel to the process's gRPC port; the caller shuts it down. */
    public ManagedChannel channel() {
        return ManagedChannelBuilder.forAddress(host, grpcPort).usePlaintext().build();
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the output contains {@code text}; fails early if the process ends first. */
    public void awaitOutput(String text, Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (!output().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError("process ended (exit " + process.exitValue() + ") before printing '"
                        + text + "':\n" + output());
            }
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + output());
            }
            Thread.sleep(50);
        }
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("process still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** Sends SIGTERM, as a platform would, and returns the exit code once the process has ended. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    /** Sends SIGTERM and returns at once, so a test can watch the drain; {@link #awaitExit} waits for the end. */
    public void signalTerm() {
        process.destroy();
    }

    /** Sends SIGKILL, a crash as the process sees it (no shutdown at all), and waits until it is gone. */
    public void kill(Duration timeout) throws InterruptedException {
        process.destroyForcibly();
        awaitExit(timeout);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
