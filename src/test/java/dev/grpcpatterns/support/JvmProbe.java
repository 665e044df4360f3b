package dev.grpcpatterns.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What another JVM process holds, asked from outside: {@code jcmd} for its heap and threads, /proc for its RSS. */
public final class JvmProbe {

    /** One line per heap (G1) or per generation (Serial, Parallel): "... total 43712K, used 22000K ...". */
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    private JvmProbe() {
    }

    /** Heap in use right after a full collection ({@code GC.run}, then {@code GC.heap_info}), in bytes. */
    public static long heapAfterFullGc(long pid) {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        long kib = 0;
        boolean found = false;
        while (used.find()) {
            kib += Long.parseLong(used.group(1));
            found = true;
        }
        if (!found) {
            throw new AssertionError("jcmd GC.heap_info shows no heap in use: " + info);
        }
        return kib << 10;
    }

    /** Resident set size ({@code VmRSS}), in bytes. */
    public static long residentBytes(long pid) {
        try {
            Matcher rss = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            if (!rss.find()) {
                throw new AssertionError("no VmRSS for process " + pid);
            }
            return Long.parseLong(rss.group(1)) << 10;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Threads whose name starts with {@code prefix}, from a thread dump. */
    public static long threadsNamed(long pid, String prefix) {
        return jcmd(pid, "Thread.print").lines().filter(line -> line.startsWith("\"" + prefix)).count();
    }

    /** Runs one {@code jcmd} command against the process and returns its output. */
    public static String jcmd(long pid, String command) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), command).redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                throw new AssertionError("jcmd " + pid + " " + command + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running jcmd", e);
        }
    }
}
