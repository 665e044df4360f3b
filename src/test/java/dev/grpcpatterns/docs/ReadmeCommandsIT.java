package dev.grpcpatterns.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcpatterns.support.AppProcess;
import dev.grpcpatterns.support.ArticleOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * Every command in the README's {@code sh} blocks, run as a reader would type it, against the packaged jar on free
 * ports, flags intact, so a renamed flag, setting or endpoint fails the build:
 * <ul>
 *   <li>{@code java -jar target/grpc-patterns.jar ...}: the {@code client} profile runs to its end against a server
 *       started from the jar (its {@code localhost:50051} pointed at that server's port) and must exit 0 with the
 *       article's output; any other is started as a server;</li>
 *   <li>{@code docker run ... grpc-patterns ARGS}: the image's jar is started with the image's environment (the Dockerfile's ENV lines), the command's
 *       ({@code -e}) and arguments, its published ports ({@code -p}) mapped to free ones; the Docker suite
 *       (src/test/docker) runs the image itself;</li>
 *   <li>{@code curl URL}: the GET, with the URL's published port mapped; a comment that starts with a JSON body is
 *       the answer it must give once the service is ready;</li>
 *   <li>{@code ./mvnw ...} and {@code docker build ...} are the build itself (this test runs inside it; the Docker
 *       suite builds the image) and are not run here.</li>
 * </ul>
 * Every {@code --name=value} given to the jar and every {@code -e NAME=value} given to the image must name a setting
 * that exists (application.yml or the configuration metadata, {@link SettingNames}). A command of any other kind
 * fails the test until it is taught here.
 */
class ReadmeCommandsIT {

    private static final Duration START = Duration.ofMinutes(4);
    private static final Duration RUN = Duration.ofMinutes(3);
    private static final String JAR = "target/grpc-patterns.jar";
    private static final String IMAGE = "grpc-patterns";
    private static final Pattern LOCALHOST_PORT = Pattern.compile("localhost:(\\d+)");
    private static final Pattern FLAG = Pattern.compile("--([a-z][\\w.\\-\\[\\]]*)=.*");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One command of a block: where it is, its words (quotes removed) and its comment. */
    record Command(int line, List<String> words, String comment) {
        String text() {
            return String.join(" ", words);
        }
    }

    @Test
    void everyFlagTheReadmeGivesTheJarOrTheImageExists() {
        SettingNames settings = SettingNames.load();
        List<String> problems = new ArrayList<>();
        for (Command command : commands()) {
            for (String key : settingKeys(command)) {
                if (!settings.exists(ConfigurationPropertyName.adapt(key, '.'))) {
                    problems.add("README.md:" + command.line() + ": " + key + " is no setting (" + command.text() + ")");
                }
            }
        }
        assertThat(problems).as("flags in README.md that name no setting").isEmpty();
    }

    @Test
    void everyCommandRunsAsWritten() throws Exception {
        List<String> ran = new ArrayList<>();
        for (List<Command> block : blocks()) {
            // what the block's commands started, by the port a reader would use (50051, 8080), closed after it
            Map<Integer, Integer> ports = new HashMap<>();
            List<AppProcess> started = new ArrayList<>();
            try {
                for (Command command : block) {
                    if (run(command, ports, started)) {
                        ran.add("README.md:" + command.line() + ": " + command.text());
                    }
                }
            } finally {
                started.forEach(AppProcess::close);
            }
        }
        System.out.println("README commands run:\n  " + String.join("\n  ", ran));
        assertThat(ran).as("commands run").isNotEmpty();
    }

    /** Runs one command; false when it is one that is not run here (the build). */
    private boolean run(Command command, Map<Integer, Integer> ports, List<AppProcess> started) throws Exception {
        List<String> words = command.words();
        String where = "README.md:" + command.line() + ": " + command.text();
        if (words.get(0).equals("./mvnw") || words.subList(0, Math.min(2, words.size())).equals(List.of("docker", "build"))) {
            return false;
        }
        if (words.size() > 2 && words.subList(0, 3).equals(List.of("java", "-jar", JAR))) {
            runJar(where, words.subList(3, words.size()), Map.of(), Map.of(), ports, started);
            return true;
        }
        if (words.size() > 1 && words.subList(0, 2).equals(List.of("docker", "run"))) {
            DockerRun docker = DockerRun.parse(where, words);
            // The image's own environment (the Dockerfile's ENV lines: its prod profile), then the command's -e.
            Map<String, String> environment = new LinkedHashMap<>(DockerRun.imageEnvironment());
            environment.putAll(docker.environment());
            runJar(where, docker.args(), environment, docker.published(), ports, started);
            return true;
        }
        if (words.get(0).equals("curl")) {
            curl(where, command, ports);
            return true;
        }
        throw new AssertionError(where + ": a command ReadmeCommandsIT neither runs nor knows to leave to the build;"
                + " teach it this one");
    }

    /**
     * The jar with {@code args}: the client profile to its end (a server started for it first when the block has
     * none), anything else as a server on free ports, remembered under the ports a reader would use.
     */
    private void runJar(String where, List<String> args, Map<String, String> environment,
            Map<Integer, Integer> published, Map<Integer, Integer> ports, List<AppProcess> started) throws Exception {
        boolean client = args.contains("--spring.profiles.active=client")
                || "client".equals(environment.get("SPRING_PROFILES_ACTIVE"));
        if (client) {
            if (!ports.containsKey(50051)) {
                AppProcess server = AppProcess.start("--demo.enabled=false");
                started.add(server);
                server.awaitOutput("Started GrpcPatternsApplication", START);
                ports.put(50051, server.grpcPort());
            }
            try (AppProcess run = AppProcess.run(withPorts(args, ports).toArray(String[]::new))) {
                assertThat(run.awaitExit(RUN)).as(where + "\n" + run.output()).isZero();
                assertThat(run.output()).as(where).contains(ArticleOutput.LINES);
            }
            return;
        }
        AppProcess server = AppProcess.start(environment, args.toArray(String[]::new));
        started.add(server);
        // a published port maps to the one of the same use: gRPC's 50051 and HTTP's 8080 inside the image
        published.forEach((host, container) -> ports.put(host, container == 50051 ? server.grpcPort()
                : container == 8080 ? server.httpPort() : failPort(where, container)));
        if (published.isEmpty()) {
            ports.put(50051, server.grpcPort());
            ports.put(8080, server.httpPort());
        }
        server.awaitOutput("Started GrpcPatternsApplication", START);
    }

    private static int failPort(String where, int port) {
        throw new AssertionError(where + ": publishes container port " + port + ", which the service does not use");
    }

    /** {@code curl [-s] [-f] URL}; a comment that starts with a JSON body is what it must answer once ready. */
    private void curl(String where, Command command, Map<Integer, Integer> ports) throws Exception {
        List<String> urls = command.words().subList(1, command.words().size()).stream()
                .filter(word -> !word.matches("-[sfS]+")).toList();
        assertThat(urls).as(where + ": curl with options other than -s, -f (teach ReadmeCommandsIT)").hasSize(1);
        String url = withPorts(List.of(urls.get(0)), ports).get(0);
        URI uri = URI.create(url.contains("://") ? url : "http://" + url);
        String expected = command.comment().startsWith("{") ? command.comment().split("\\s+")[0] : null;
        Instant end = Instant.now().plus(START);
        String body = null;
        int status = -1;
        while (Instant.now().isBefore(end)) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                body = response.body();
                if (status == 200 && (expected == null || expected.equals(body))) {
                    return;
                }
            } catch (ConnectException | HttpTimeoutException notYet) {
                // the service is not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(where + ": " + uri + " answered " + status + " " + body
                + (expected == null ? "" : ", not " + expected));
    }

    /** The words with each {@code localhost:PORT} a command before started pointed at the port it really has. */
    private static List<String> withPorts(List<String> words, Map<Integer, Integer> ports) {
        return words.stream().map(word -> {
            Matcher m = LOCALHOST_PORT.matcher(word);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                Integer port = ports.get(Integer.parseInt(m.group(1)));
                m.appendReplacement(out, "localhost:" + (port == null ? m.group(1) : port));
            }
            return m.appendTail(out).toString();
        }).toList();
    }

    /** The setting names a command gives the jar: its {@code --name=value} flags and the image's {@code -e} names. */
    private static List<String> settingKeys(Command command) {
        List<String> words = command.words();
        List<String> keys = new ArrayList<>();
        if (words.size() > 2 && words.subList(0, 3).equals(List.of("java", "-jar", JAR))) {
            words.subList(3, words.size()).forEach(word -> flagKey(word).ifPresent(keys::add));
        } else if (words.size() > 1 && words.subList(0, 2).equals(List.of("docker", "run"))) {
            DockerRun docker = DockerRun.parse("README.md:" + command.line(), words);
            docker.args().forEach(word -> flagKey(word).ifPresent(keys::add));
            // Spring's relaxed binding: SPRING_PROFILES_ACTIVE is spring.profiles.active
            docker.environment().keySet().forEach(name -> keys.add(name.toLowerCase(Locale.ROOT)
                    .replace('_', '.')));
        }
        return keys;
    }

    private static Optional<String> flagKey(String word) {
        Matcher m = FLAG.matcher(word);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** {@code docker run [OPTIONS] grpc-patterns [ARGS]}: the options this README uses, the image, the jar's args. */
    record DockerRun(Map<String, String> environment, Map<Integer, Integer> published, List<String> args) {

        private static final List<String> FLAGS = List.of("-d", "--rm", "-it", "-t", "-i");
        private static final Pattern DOCKERFILE_ENV = Pattern.compile("ENV\\s+(\\w+)=(\\S+)\\s*");
        private static final List<String> WITH_VALUE = List.of("--name", "--stop-timeout", "--network", "--memory");

        static DockerRun parse(String where, List<String> words) {
            Map<String, String> environment = new LinkedHashMap<>();
            Map<Integer, Integer> published = new LinkedHashMap<>();
            int i = 2;
            while (i < words.size() && !words.get(i).equals(IMAGE)) {
                String word = words.get(i);
                if (word.equals("-e")) {
                    String[] pair = words.get(i + 1).split("=", 2);
                    environment.put(pair[0], pair.length > 1 ? pair[1] : System.getenv(pair[0]));
                    i += 2;
                } else if (word.equals("-p")) {
                    String[] pair = words.get(i + 1).split(":");
                    published.put(Integer.parseInt(pair[0]), Integer.parseInt(pair[pair.length - 1]));
                    i += 2;
                } else if (WITH_VALUE.contains(word)) {
                    i += 2;
                } else if (FLAGS.contains(word)) {
                    i++;
                } else {
                    throw new AssertionError(where + ": docker run option " + word + " (teach ReadmeCommandsIT)");
                }
            }
            if (i == words.size()) {
                throw new AssertionError(where + ": docker run of an image other than " + IMAGE);
            }
            return new DockerRun(environment, published, words.subList(i + 1, words.size()));
        }

        static Map<String, String> imageEnvironment() {
            Map<String, String> environment = new LinkedHashMap<>();
            try {
                for (String line : Files.readAllLines(Path.of("Dockerfile"))) {
                    Matcher env = DOCKERFILE_ENV.matcher(line);
                    if (env.matches()) {
                        environment.put(env.group(1), env.group(2));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return environment;
        }
    }

    private static List<Command> commands() {
        return blocks().stream().flatMap(List::stream).toList();
    }

    /** The README's sh blocks, each as its commands: continued lines joined, {@code &&} split, comments apart. */
    private static List<List<Command>> blocks() {
        List<List<Command>> blocks = new ArrayList<>();
        for (Markdown.Block block : Markdown.read(DocLinksTest.ROOT.resolve("README.md")).blocks) {
            if (!block.language().equals("sh")) {
                continue;
            }
            List<Command> commands = new ArrayList<>();
            StringBuilder joined = new StringBuilder();
            int first = -1;
            for (int i = 0; i < block.lines().size(); i++) {
                String line = block.lines().get(i);
                if (first < 0) {
                    first = block.line() + i;
                }
                if (line.endsWith("\\")) {
                    joined.append(line, 0, line.length() - 1).append(' ');
                    continue;
                }
                joined.append(line);
                commands.addAll(parse(first, joined.toString()));
                joined.setLength(0);
                first = -1;
            }
            blocks.add(commands);
        }
        return blocks;
    }

    /** Shell words of one line (single and double quotes, no expansions), split at {@code &&}, and its comment. */
    static List<Command> parse(int line, String text) {
        List<Command> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        String comment = "";
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '#' && word == null) {
                comment = text.substring(i + 1).trim();
                break;
            } else {
                word = word == null ? new StringBuilder().append(c) : word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        List<String> current = new ArrayList<>();
        for (String w : words) {
            if (w.equals("&&")) {
                commands.add(new Command(line, current, ""));
                current = new ArrayList<>();
            } else {
                current.add(w);
            }
        }
        if (!current.isEmpty()) {
            commands.add(new Command(line, current, comment));
        }
        return commands;
    }
}
