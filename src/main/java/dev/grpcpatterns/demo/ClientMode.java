package dev.grpcpatterns.demo;

import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The {@code client} profile: the jar becomes a client of any server at {@code grpc.client.demo.address},
 * runs the four flows and exits 0 when all of them succeed, 1 otherwise.
 */
@Component
@Profile("client")
class ClientMode implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ClientMode.class);

    private final DemoClient demo;
    private final ApplicationContext context;

    ClientMode(DemoClient demo, ApplicationContext context) {
        this.demo = demo;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        int status = 0;
        try {
            demo.runAll(log::info);
            log.info("All four patterns answered");
        } catch (StatusRuntimeException e) {
            log.error("Demo failed: {}", e.getStatus());
            status = 1;
        }
        int exitCode = status;
        System.exit(SpringApplication.exit(context, () -> exitCode));
    }
}
