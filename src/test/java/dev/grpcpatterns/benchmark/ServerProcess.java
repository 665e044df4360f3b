package dev.grpcpatterns.benchmark;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.grpcpatterns.proto.v1.GreeterGrpc;
import dev.grpcpatterns.proto.v1.HelloRequest;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * One server under test as its own JVM: how long it takes from process start to its first answered call,
 * and how much memory it holds.
 */
final class ServerProcess implements AutoCloseable {

    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(180);
    // USER_HZ: 100 on every Linux architecture the JDK runs on.
    private static final int CLOCK_TICKS_PER_SECOND = 100;

    private final Process process;
    private final Path log;
    private final int port;
    private final long startupNanos;
    private final double startupCpuMillis;
    private JMXConnector jmx;
    private com.sun.management.ThreadMXBean threads;

    private ServerProcess(Process process, Path log, int port, long startupNanos) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.startupNanos = startupNanos;
        this.startupCpuMillis = cpuMillis();
    }

    /**
     * Starts {@code command} (which serves gRPC on {@code port}) with extra {@code environment} variables and
     * returns once a call (through {@code firstCallInterceptors}) has been answered.
     */
    static ServerProcess start(List<String> command, Map<String, String> environment, int port, Path log,
            ClientInterceptor... firstCallInterceptors) throws IOException, InterruptedException {
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            awaitListening(process, port, started, log);
            // The port is open: the first call measures what a client really waits for.
            ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext()
                    .intercept(firstCallInterceptors).build();
            try {
                GreeterGrpc.newBlockingStub(channel).withWaitForReady().withDeadlineAfter(60, TimeUnit.SECONDS)
                        .sayHello(HelloRequest.newBuilder().setName("start").build());
            } finally {
                channel.shutdownNow();
            }
            return new ServerProcess(process, log, port, System.nanoTime() - started);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            process.destroyForcibly();
            throw e;
        }
    }

    // Polling the socket, not the channel: a channel backs off up to a second after a refused connection.
    private static void awaitListening(Process process, int port, long started, Path log)
            throws InterruptedException, IOException {
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("localhost", port), 1000);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("server exited with " + process.exitValue() + ":\n"
                            + Files.readString(log));
                }
                if (System.nanoTime() - started > START_TIMEOUT_NANOS) {
                    throw new IllegalStateException("server not listening on " + port + ":\n" + Files.readString(log));
                }
                Thread.sleep(5);
            }
        }
    }

    int port() {
        return port;
    }

    double startupMillis() {
        return startupNanos / 1e6;
    }

    /** CPU time the start-up took: unlike wall-clock time, it hardly changes with what else the machine runs. */
    double startupCpuMillis() {
        return startupCpuMillis;
    }

    /** User plus system CPU time the process has used, from {@code /proc/PID/stat}. */
    long pid() {
        return process.pid();
    }

    double cpuMillis() {
        return cpuMillis(process.pid());
    }

    /** User plus system CPU time process {@code pid} has used, from {@code /proc/PID/stat}. */
    static double cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1000.0 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Resident set size in MiB, from {@code /proc/PID/status}. */
    double rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
            throw new IllegalStateException("no VmRSS for " + process.pid());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Bytes the server's live threads have allocated so far (its gRPC executor's and event loops' threads live as
     * long as it does), read over JMX from the server itself: unlike time, it does not change with what else the
     * machine runs. The first call attaches to the process and starts its local management agent.
     */
    long allocatedBytes() throws IOException {
        if (threads == null) {
            try {
                VirtualMachine vm = VirtualMachine.attach(Long.toString(process.pid()));
                String address = vm.startLocalManagementAgent();
                vm.detach();
                jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
                threads = ManagementFactory.newPlatformMXBeanProxy(jmx.getMBeanServerConnection(),
                        ManagementFactory.THREAD_MXBEAN_NAME, com.sun.management.ThreadMXBean.class);
            } catch (AttachNotSupportedException e) {
                throw new IOException(e);
            }
        }
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(bytes, 0);   // -1: a thread that ended between the two questions
        }
        return total;
    }

    @Override
    public void close() throws InterruptedException {
        if (jmx != null) {
            try {
                jmx.close();
            } catch (IOException ignored) {
                // The server is stopped next anyway.
            }
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
