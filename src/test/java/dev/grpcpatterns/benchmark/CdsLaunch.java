package dev.grpcpatterns.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The jar laid out for a fast start, as the README's Performance section describes: extracted by Spring
 * Boot's jar tools, plus a class-data sharing archive recorded by one training run that stops right after
 * the application context has refreshed. Starting with the archive skips most class loading and verifying.
 */
record CdsLaunch(Path jar, Path archive) {

    static CdsLaunch prepare(String java, Path packagedJar, Path directory, List<String> jvmArgs)
            throws IOException, InterruptedException {
        run(directory.getParent(), List.of(java, "-Djarmode=tools", "-jar", packagedJar.toString(),
                "extract", "--force", "--destination", directory.toString()));
        CdsLaunch launch = new CdsLaunch(directory.resolve(packagedJar.getFileName()),
                directory.resolve("grpc-patterns.jsa"));
        List<String> training = new ArrayList<>(List.of(java));
        training.addAll(jvmArgs);
        training.addAll(List.of("-XX:ArchiveClassesAtExit=" + launch.archive(), "-Dspring.context.exit=onRefresh",
                "-jar", launch.jar().toString(), "--demo.enabled=false", "--grpc.server.port=0", "--server.port=0"));
        run(directory.getParent(), training);
        return launch;
    }

    /** The JVM arguments that start the extracted jar with the archive. */
    List<String> javaArgs() {
        return List.of("-XX:SharedArchiveFile=" + archive, "-jar", jar.toString());
    }

    private static void run(Path logDirectory, List<String> command) throws IOException, InterruptedException {
        Path log = logDirectory.resolve("cds-training.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(log));
        }
    }
}
