package dev.acmesmime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * RSA and Ed25519 keys made for the test class and a real dnsmasq publishing them as DKIM key records (D6-D8
 * need a resolver that answers like a real one, NXDOMAIN and REFUSED included), from before the
 * class's first {@code @BeforeAll} until after its last {@code @AfterAll}. Register it on a static
 * field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DkimDns DNS = DkimDns.keys(k -> k.rsa("strong", 2048))
 *         .publish("s2048", "example.test", "strong");
 * ...
 * DNS.key("strong").pkcs1(); DNS.server();
 * }</pre>
 *
 * The keys are written as PEM into a directory of their own ({@link #dir()}), removed after the class.
 * Outside a test class's lifecycle (a fixture shared by several James nodes), {@link #start()} and
 * {@link #close()} do the same.
 */
public final class DkimDns implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    /** Stands for an Ed25519 key among the RSA sizes. */
    private static final int ED25519 = -1;

    private final Map<String, Integer> sizes;
    private final List<Txt> records = new ArrayList<>();
    private final Map<String, TestKeys> keys = new LinkedHashMap<>();
    private int ttl;
    private Path dir;
    private Dnsmasq dns;

    private DkimDns(Map<String, Integer> sizes) {
        this.sizes = sizes;
    }

    /** The keys to make, by name; {@link Sizes#rsa} for each. */
    public static DkimDns keys(Function<Sizes, Sizes> keys) {
        return new DkimDns(keys.apply(new Sizes()).bits);
    }

    /** The key names and sizes of a {@link DkimDns}. */
    public static final class Sizes {
        private final Map<String, Integer> bits = new LinkedHashMap<>();

        public Sizes rsa(String name, int bits) {
            this.bits.put(name, bits);
            return this;
        }

        /** An Ed25519 key (RFC 8463). */
        public Sizes ed25519(String name) {
            this.bits.put(name, ED25519);
            return this;
        }
    }

    /** Publishes key {@code keyName} at {@code selector._domainkey.domain}. */
    public DkimDns publish(String selector, String domain, String keyName) {
        return txt(selector, domain, dns -> dns.key(keyName).record());
    }

    /** Publishes a key record made from the keys, e.g. a revoked or a testing-mode one. */
    public DkimDns txt(String selector, String domain, Function<DkimDns, String> record) {
        records.add(new Txt(selector, domain, record));
        return this;
    }

    /** TTL of the served records; 0 by default, so that every lookup reaches dnsmasq. */
    public DkimDns ttl(int seconds) {
        this.ttl = seconds;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException, InterruptedException {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        close();
    }

    /** Makes the keys and starts dnsmasq. */
    public DkimDns start() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("acme-smime-keys");
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            keys.put(e.getKey(), e.getValue() == ED25519 ? TestKeys.generateEd25519(dir, e.getKey())
                    : TestKeys.generate(e.getValue(), dir, e.getKey()));
        }
        Dnsmasq.Builder builder = Dnsmasq.builder().ttl(ttl);
        for (Txt t : records) {
            builder.key(t.selector(), t.domain(), t.record().apply(this));
        }
        dns = builder.start();
        return this;
    }

    /** Stops dnsmasq and removes the keys. */
    @Override
    public void close() throws IOException {
        try {
            if (dns != null) {
                dns.close();
            }
        } finally {
            TempDirs.delete(dir);
        }
    }

    public TestKeys key(String name) {
        TestKeys k = keys.get(name);
        if (k == null) {
            throw new IllegalArgumentException("no key " + name + " (keys: " + keys.keySet() + ")");
        }
        return k;
    }

    /** The running dnsmasq, e.g. to {@link Dnsmasq#stop() stop} it for a DNS outage. */
    public Dnsmasq dns() {
        return dns;
    }

    /** {@code 127.0.0.1:<port>}, the resolver address the code under test is given. */
    public String server() {
        return dns.server();
    }

    /** Where the PEM files of the keys are. */
    public Path dir() {
        return dir;
    }

    private record Txt(String selector, String domain, Function<DkimDns, String> record) {
    }
}
