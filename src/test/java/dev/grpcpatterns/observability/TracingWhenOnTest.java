package dev.grpcpatterns.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.mock.env.MockEnvironment;

/**
 * Which of Boot's tracing auto-configurations are considered: all with tracing on and an export, all but Zipkin's
 * without one, none with tracing off. (With the jar's configuration: {@link TracingOffTest}, {@link TracingTest}.)
 */
class TracingWhenOnTest {

    private static final String BRAVE = "org.springframework.boot.actuate.autoconfigure.tracing.BraveAutoConfiguration";
    private static final String ZIPKIN = "org.springframework.boot.actuate.autoconfigure.tracing.zipkin."
            + "ZipkinAutoConfiguration";
    private static final String OTHER = "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration";

    @Test
    void isAnImportFilterOfTheApplication() {
        assertThat(SpringFactoriesLoader.loadFactoryNames(AutoConfigurationImportFilter.class,
                getClass().getClassLoader())).contains(TracingWhenOn.class.getName());
    }

    @Test
    void tracingOnWithExport() {
        assertThat(imported(new MockEnvironment().withProperty(ZipkinExportWithEndpoint.EXPORT, "true")))
                .containsExactly(true, true, true, true);
        assertThat(imported(new MockEnvironment())).as("Boot's default: export on").containsExactly(true, true, true,
                true);
    }

    @Test
    void tracingOnWithoutExportLeavesZipkinOut() {
        assertThat(imported(new MockEnvironment().withProperty(ZipkinExportWithEndpoint.EXPORT, "false")))
                .containsExactly(true, false, true, true);
    }

    @Test
    void tracingOffLeavesAllTracingOut() {
        assertThat(imported(new MockEnvironment().withProperty(TracingWhenOn.TRACING, "false")
                .withProperty(ZipkinExportWithEndpoint.EXPORT, "true"))).containsExactly(false, false, true, true);
    }

    /** What the filter lets Boot consider: Brave's, Zipkin's, another, and a null slot. */
    private static List<Boolean> imported(MockEnvironment environment) {
        TracingWhenOn filter = new TracingWhenOn();
        filter.setEnvironment(environment);
        boolean[] match = filter.match(new String[] {BRAVE, ZIPKIN, OTHER, null}, null);
        return List.of(match[0], match[1], match[2], match[3]);
    }
}
