package dev.grpcpatterns.benchmark;

import dev.grpcpatterns.benchmark.LoadGenerator.Workload;
import java.util.Arrays;
import java.util.List;

/**
 * What a change on the call path costs or saves ({@link VariantCost}): the service of an earlier jar
 * ({@code -Dbench.before-jar}, the reference) against this one ({@code bench.jar}), both as the benchmark's
 * {@code service} column runs them ({@code prod}, open on purpose), in the same rounds, on the workloads of
 * {@code -Dbench.workloads} (default: every one). Its rows that the machine's load does not move are the server's
 * CPU time and bytes allocated per call or message.
 *
 * <p>{@code java -cp <test classpath> -Dbench.before-jar=<earlier jar> -Dbench.jar=target/grpc-patterns.jar
 * -Dbench.clients=h2load dev.grpcpatterns.benchmark.CallPathCost} (docs/performance.md).
 */
public final class CallPathCost {

    private CallPathCost() {
    }

    public static void main(String[] args) throws Exception {
        String before = System.getProperty("bench.before-jar");
        if (before == null) {
            throw new IllegalArgumentException("-Dbench.before-jar=<an earlier jar> is the reference");
        }
        List<Workload> workloads = Arrays.stream(System.getProperty("bench.workloads",
                        "UNARY,SERVER_STREAM,CLIENT_STREAM,CHAT").split(","))
                .map(Workload::valueOf)
                .toList();
        VariantCost.compare("call-path", List.of(
                new VariantCost.Variant("before", before, TrainedLaunch.PROFILE),
                new VariantCost.Variant("this jar", TrainedLaunch.PROFILE)), workloads);
    }
}
