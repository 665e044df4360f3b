package dev.grpcpatterns.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The jar laid out for a fast start, as the Docker image runs it: extracted by Spring Boot's jar tools, plus
 * the archive of one training run, the service's self-test ({@code demo.exit-when-done}), which serves and
 * calls all four patterns and exits. On Java 25 the archive is an AOT cache (classes loaded and linked, and
 * method profiles); on older JVMs a class-data sharing archive of the classes loaded. Trained and run in the
 * image's profile ({@link #PROFILE}): a cache holds the classes of the start it was trained on, and loads them all
 * at every start, so a cache of another profile would load what this one never uses.
 */
record TrainedLaunch(String name, Path jar, String useArchive) {

    /** The image's profile, open on purpose (prod refuses to start without an identity otherwise), as Spring arguments. */
    static final List<String> PROFILE = List.of("--spring.profiles.active=prod", "--identity.open-on-purpose=true");

    static TrainedLaunch prepare(String java, Path packagedJar, Path directory, List<String> jvmArgs)
            throws IOException, InterruptedException {
        run(directory.getParent(), List.of(java, "-Djarmode=tools", "-jar", packagedJar.toString(),
                "extract", "--force", "--destination", directory.toString()));
        Path jar = directory.resolve(packagedJar.getFileName());
        boolean aotCache = Runtime.version().feature() >= 25;
        Path archive = directory.resolve(aotCache ? "grpc-patterns.aot" : "grpc-patterns.jsa");
        List<String> training = new ArrayList<>(List.of(java));
        training.addAll(jvmArgs);
        training.addAll(List.of((aotCache ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + archive,
                "-jar", jar.toString()));
        training.addAll(PROFILE);
        // As the Dockerfile trains: the self-test, which prod switches off, asked for.
        training.addAll(List.of("--demo.enabled=true", "--demo.exit-when-done=true", "--demo.chat-pause=0s",
                "--chat.server-stream.interval=0s", "--grpc.server.port=0", "--server.port=0"));
        run(directory.getParent(), training);
        return aotCache
                ? new TrainedLaunch("extracted jar + AOT cache", jar, "-XX:AOTCache=" + archive)
                : new TrainedLaunch("extracted jar + CDS", jar, "-XX:SharedArchiveFile=" + archive);
    }

    /** The JVM arguments that start the extracted jar with the archive. */
    List<String> javaArgs() {
        return List.of(useArchive, "-jar", jar.toString());
    }

    private static void run(Path logDirectory, List<String> command) throws IOException, InterruptedException {
        Path log = logDirectory.resolve("training.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(log));
        }
    }
}
