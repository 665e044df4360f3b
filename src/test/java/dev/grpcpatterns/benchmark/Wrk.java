package dev.grpcpatterns.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives an HTTP/1.1 port with wrk (Debian's {@code wrk}): {@code connections} keep-alive connections, each with one
 * request at a time, all posting the same body, as browsers do. Not h2load's {@code --h1}: its HTTP/1 parser (nghttp2
 * 1.52) refuses a status line without a reason phrase, which is what Tomcat sends ({@code HTTP/1.1 200 }), and counts
 * every answer as failed. wrk cannot read a body's status: the caller checks each body once with a client that does.
 */
final class Wrk {

    private static final Pattern DONE = Pattern.compile("(\\d+) requests in ([0-9.]+)(us|ms|s|m)");
    private static final Pattern MEDIAN = Pattern.compile("\\s50%\\s+([0-9.]+)(us|ms|s|m)\\b");
    private static final Pattern NOT_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final Path script;
    private final String url;

    /** Writes the Lua script that makes every request a POST of {@code body} with {@code headers}. */
    Wrk(String url, byte[] body, Map<String, String> headers, Path script) throws IOException {
        StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\nwrk.body = \"");
        for (byte b : body) {
            lua.append('\\').append(b & 0xFF); // Lua's decimal escape: any byte, binary bodies included
        }
        lua.append("\"\n");
        headers.forEach((name, value) -> lua.append("wrk.headers[\"").append(name).append("\"] = \"").append(value)
                .append("\"\n"));
        Files.writeString(script, lua);
        this.script = script;
        this.url = url;
    }

    /**
     * What a load did: calls answered per second, the median call's latency, and the calls whose connection failed
     * (wrk's socket errors: connect, read, write, timeout).
     */
    record Result(long calls, double callsPerSecond, double medianMillis, long socketErrors) {
    }

    /** Runs the load for {@code duration}; throws if any answer was not 2xx. */
    Result load(int connections, Duration duration) throws Exception {
        String output = run(connections, duration).waitForOutput(duration);
        Matcher done = DONE.matcher(output);
        Matcher median = MEDIAN.matcher(output);
        if (!done.find() || !median.find()) {
            throw new IllegalStateException("wrk's output not understood:\n" + output);
        }
        if (NOT_2XX.matcher(output).find()) {
            throw new IllegalStateException("some of wrk's calls failed:\n" + output);
        }
        Matcher errors = SOCKET_ERRORS.matcher(output);
        long socketErrors = 0;
        if (errors.find()) {
            for (int group = 1; group <= 4; group++) {
                socketErrors += Long.parseLong(errors.group(group));
            }
        }
        long calls = Long.parseLong(done.group(1));
        return new Result(calls, calls / seconds(done.group(2), done.group(3)),
                1000 * seconds(median.group(1), median.group(2)), socketErrors);
    }

    private static double seconds(String value, String unit) {
        return Double.parseDouble(value) * switch (unit) {
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "m" -> 60;
            default -> 1;
        };
    }

    /** Starts wrk in the background (a flood): wait for it with {@link Running#waitForOutput}. */
    Running run(int connections, Duration duration) throws IOException {
        // One thread: the server under test shares this machine's cores with the client.
        Process wrk = new ProcessBuilder("wrk", "-t", "1", "-c", Integer.toString(connections), "-d",
                duration.toSeconds() + "s", "--timeout", "10s", "--latency", "-s", script.toString(), url)
                .redirectErrorStream(true).start();
        return new Running(wrk);
    }

    /** A wrk process. */
    record Running(Process process) {

        String waitForOutput(Duration duration) throws Exception {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("wrk failed:\n" + output);
            }
            return output;
        }
    }
}
