package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.support.AppProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged service as every benchmark starts it: no demo, no pacing, and no log line per Chat message
 * (the default profile writes one, and a benchmark would measure Logback instead of the service), unless
 * {@code args} sets that logger's level ({@link ChatLogCost}).
 */
final class ServiceCommand {

    static final String SEED_LOG = "--logging.level.dev.grpcpatterns.chat.messages";

    private ServiceCommand() {
    }

    /** {@code launch} is how the jar is run ({@code -jar <jar>}, or the image's AOT launch); {@code args} come last. */
    static List<String> of(List<String> jvmArgs, List<String> launch, int grpcPort, List<String> args) {
        return of(jvmArgs, launch, grpcPort, AppProcess.freePort(), args);
    }

    /** With the HTTP port chosen by the caller, who loads it too (the web protocols). */
    static List<String> of(List<String> jvmArgs, List<String> launch, int grpcPort, int httpPort, List<String> args) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmArgs);
        command.addAll(launch);
        command.addAll(List.of("--demo.enabled=false", "--chat.server-stream.interval=0",
                "--grpc.server.port=" + grpcPort, "--server.port=" + httpPort));
        // A key given twice would be read as both values joined: the seed log's level only if args has none.
        if (args.stream().noneMatch(arg -> arg.startsWith(SEED_LOG + "="))) {
            command.add(SEED_LOG + "=OFF");
        }
        command.addAll(args);
        return command;
    }

    /** The JVM running the benchmark: the one it measures with, too. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
