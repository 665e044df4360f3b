package dev.grpcpatterns.support;

/**
 * Whether a test that needs something of the machine (root, a system tool) may run. On a developer's machine a
 * missing thing skips the test and says so; under CI ({@code CI=true}, as {@code .ci/run} is run) it is a failure
 * naming what is missing, because CI installs everything such a test needs and a silent skip there would hide a
 * test that never ran.
 */
public final class Prerequisites {

    private Prerequisites() {
    }

    /** For {@code @EnabledIf}: true when nothing is missing ({@code missing} null); false or a failure otherwise. */
    public static boolean met(String test, String missing) {
        return met(test, missing, System.getenv("CI"));
    }

    static boolean met(String test, String missing, String ci) {
        if (missing == null) {
            return true;
        }
        if ("true".equalsIgnoreCase(ci)) {
            throw new AssertionError(test + " cannot run under CI (CI=" + ci + "): " + missing);
        }
        System.out.println(test + " skipped (not under CI): " + missing);
        return false;
    }
}
