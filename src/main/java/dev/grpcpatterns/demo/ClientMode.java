package dev.grpcpatterns.demo;

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
        int status = DemoRun.runFlows(demo, log, "All four patterns answered");
        // On the main thread, inside start-up: the context is closed here, before start-up could go on.
        System.exit(SpringApplication.exit(context, () -> status));
    }
}
