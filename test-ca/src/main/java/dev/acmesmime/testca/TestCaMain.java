package dev.acmesmime.testca;

import java.nio.file.Path;

/**
 * {@code james-deploy/bin/test-ca --config FILE}: starts the test CA and prints
 * {@code test-ca ready: directory=<URL>} once it serves.
 */
public final class TestCaMain {
    private TestCaMain() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("not yet built");
    }
}
