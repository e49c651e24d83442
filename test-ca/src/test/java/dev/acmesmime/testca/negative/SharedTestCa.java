package dev.acmesmime.testca.negative;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link TestCaHarness} for all tests of a class, with one raw client and fresh mailboxes:
 * {@code @RegisterExtension static final SharedTestCa CA = new SharedTestCa(Map.of());}.
 */
public final class SharedTestCa implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> settings;
    private final AtomicInteger mailboxes = new AtomicInteger();
    private TestCaHarness harness;
    private RawAcmeClient client;

    public SharedTestCa(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        harness = TestCaHarness.start(settings);
        client = harness.client();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    public TestCaHarness ca() {
        return harness;
    }

    public RawAcmeClient client() {
        return client;
    }

    /** An address no other test of the class uses. */
    public String mailbox() {
        return "neg-" + mailboxes.incrementAndGet() + "@org.test";
    }
}
