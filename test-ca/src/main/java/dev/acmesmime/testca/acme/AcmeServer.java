package dev.acmesmime.testca.acme;

import dev.acmesmime.testca.TestCa;
import dev.acmesmime.testca.TestCaSettings;

/** The HTTP side of the test CA: RFC 8555 resources, the result endpoint, the management port. */
public final class AcmeServer {
    private AcmeServer() {
    }

    public static TestCa start(TestCaSettings settings) {
        throw new UnsupportedOperationException("not yet built");
    }
}
