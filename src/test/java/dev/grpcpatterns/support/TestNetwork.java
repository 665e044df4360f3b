package dev.grpcpatterns.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test hosts on a real network: Linux network namespaces ({@code ip netns}) joined by veth pairs, each end with its
 * own address in 10.250.0.0/16, made by the test and removed by {@link #close()}. The root namespace (the test's own
 * JVM) is a host too. Everything is named with one prefix, so what a crashed earlier run left behind is removed first.
 * Needs root, iproute2 and iptables; {@link #unavailableBecause()} says what is missing (see {@link Prerequisites}).
 */
public final class TestNetwork implements AutoCloseable {

    /** Namespaces and interfaces made here, and nothing else, start with this. */
    private static final String PREFIX = "gp19";

    private final List<String> namespaces = new ArrayList<>();

    private TestNetwork() {
    }

    /** Why namespaces can't be made here, or null when they can. */
    public static String unavailableBecause() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "network namespace tests need root (ip netns, iptables, tc); CI runs as root";
        }
        for (String tool : List.of("ip", "iptables", "tc")) {
            if (!onPath(tool)) {
                return "network namespace tests need '" + tool + "' (Debian: iproute2, iptables); .ci/run installs them";
            }
        }
        return null;
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return new File("/usr/sbin", tool).canExecute() || new File("/sbin", tool).canExecute();
    }

    /** A network with no hosts yet; namespaces and links of an earlier, crashed run are removed first. */
    public static TestNetwork create() {
        removeStale();
        return new TestNetwork();
    }

    private static void removeStale() {
        for (String line : run(List.of("ip", "netns", "list")).lines().toList()) {
            String name = line.split(" ")[0];
            if (name.startsWith(PREFIX + "-")) {
                runQuietly("ip", "netns", "delete", name);
            }
        }
        for (String line : run(List.of("ip", "-o", "link", "show")).lines().toList()) {
            String[] fields = line.split(":\\s+");
            if (fields.length > 1 && fields[1].startsWith(PREFIX)) {
                runQuietly("ip", "link", "delete", fields[1].split("@")[0]);
            }
        }
    }

    /** A new host: its own network namespace, with loopback up. */
    public Host host(String name) {
        String namespace = PREFIX + "-" + name;
        run(List.of("ip", "netns", "add", namespace));
        namespaces.add(namespace);
        Host host = new Host(namespace);
        host.exec("ip", "link", "set", "lo", "up");
        return host;
    }

    /**
     * A veth pair between {@code a} and {@code b} (null: the root namespace, i.e. the test itself) in subnet
     * 10.250.{@code subnet}.0/24, {@code a} at .1 and {@code b} at .2. Interface names are {@code gp19<name>a} and
     * {@code gp19<name>b}.
     */
    public Link link(Host a, Host b, String name, int subnet) {
        String ifA = PREFIX + name + "a";
        String ifB = PREFIX + name + "b";
        List<String> add = new ArrayList<>(List.of("ip", "link", "add", "name", ifA));
        if (a != null) {
            add.addAll(List.of("netns", a.namespace()));
        }
        add.addAll(List.of("type", "veth", "peer", "name", ifB));
        if (b != null) {
            add.addAll(List.of("netns", b.namespace()));
        }
        run(add);
        Link link = new Link(a, ifA, "10.250." + subnet + ".1", b, ifB, "10.250." + subnet + ".2");
        configure(a, ifA, link.addressA());
        configure(b, ifB, link.addressB());
        return link;
    }

    private static void configure(Host host, String device, String address) {
        List<String> prefix = host == null ? List.of() : List.of("ip", "netns", "exec", host.namespace());
        run(concat(prefix, List.of("ip", "addr", "add", address + "/24", "dev", device)));
        run(concat(prefix, List.of("ip", "link", "set", device, "up")));
    }

    /** Removes every namespace made here; their interfaces, rules, shaping and veth peers go with them. */
    @Override
    public void close() {
        for (String namespace : namespaces) {
            runQuietly("ip", "netns", "delete", namespace);
        }
        namespaces.clear();
    }

    /** One test host: a network namespace. */
    public record Host(String namespace) {

        /** The command prefix that runs a program on this host. */
        public List<String> prefix() {
            return List.of("ip", "netns", "exec", namespace);
        }

        /** Runs {@code command} on this host and returns its output; fails unless it exits 0. */
        public String exec(String... command) {
            return run(concat(prefix(), List.of(command)));
        }
    }

    /** Two ends of a veth pair: a host (null for the root namespace), its interface and address each. */
    public record Link(Host a, String deviceA, String addressA, Host b, String deviceB, String addressB) {
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static void runQuietly(String... command) {
        try {
            run(List.of(command));
        } catch (RuntimeException ignored) {
            // cleaning up what may already be gone
        }
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": "
                        + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
