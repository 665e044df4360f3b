package dev.grpcpatterns.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * The {@link ServiceTest} context the fuzz tests share (one Spring context for all of them in the fuzz JVM), set for
 * thousands of calls a second: ServerStream's texts back to back, no health Watch (the fuzzed call is the only one
 * open), and the Chat message log at its default bound of 20 lines a second instead of every message:
 * a fuzz run sends hundreds of millions of Chat messages, and writing each of them to the console through surefire's
 * channel makes the test JVM's logging, not the service, the thing under test (docs/reliability.md#fuzzing).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ServiceTest
@TestPropertySource(properties = {
        "chat.server-stream.interval=0s",
        "demo.health-check.enabled=false",
        "chat.message-log.max-per-second=20"
})
public @interface FuzzedService {
}
