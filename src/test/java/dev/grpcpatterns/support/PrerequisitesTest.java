package dev.grpcpatterns.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrerequisitesTest {

    @Test
    void nothingMissingRunsTheTest() {
        assertThat(Prerequisites.met("SomeIT", null, "true")).isTrue();
        assertThat(Prerequisites.met("SomeIT", null, null)).isTrue();
    }

    @Test
    void somethingMissingSkipsTheTestOutsideCi() {
        assertThat(Prerequisites.met("SomeIT", "needs nginx", null)).isFalse();
        assertThat(Prerequisites.met("SomeIT", "needs nginx", "false")).isFalse();
    }

    @Test
    void somethingMissingUnderCiFailsNamingIt() {
        assertThatThrownBy(() -> Prerequisites.met("SomeIT", "needs nginx", "true"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("SomeIT cannot run under CI (CI=true): needs nginx");
    }
}
