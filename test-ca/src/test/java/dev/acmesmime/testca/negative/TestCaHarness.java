package dev.acmesmime.testca.negative;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.subethamail.wiser.Wiser;

import dev.acmesmime.testca.TestCa;
import dev.acmesmime.testca.TestCaSettings;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.TempDirs;

/**
 * A test CA for one test or test class: plain HTTP on 127.0.0.1 (allowed on loopback only), free ports, an
 * SMTP sink (Wiser) as the relay that catches the challenge mails, and a native-contract HMAC key in
 * {@code forward.hmacKeyFile} so the test can play the CA-role James ({@link ResultPoster}).
 * Extra settings are given as properties, e.g. {@code eab=required}.
 */
public final class TestCaHarness implements AutoCloseable {
    /** The key id conf/ca uses, and the test CA's default {@code forward.keyId}. */
    public static final String FORWARD_KEY_ID = "ca-james-1";
    /** The EAB key id and key that {@link #withEab} configures. */
    public static final String EAB_KID = "kid-neg-1";
    public static final byte[] EAB_KEY = "negative-tests-eab-mac-key-32byt".getBytes(StandardCharsets.US_ASCII);

    private final Path dir;
    private final Wiser sink;
    private final TestCa ca;
    private final byte[] forwardKey;

    private TestCaHarness(Path dir, Wiser sink, TestCa ca, byte[] forwardKey) {
        this.dir = dir;
        this.sink = sink;
        this.ca = ca;
        this.forwardKey = forwardKey;
    }

    /** Starts a test CA with the defaults above plus {@code extra}. */
    public static TestCaHarness start(Map<String, String> extra) throws IOException {
        Path dir = Files.createTempDirectory("test-ca-neg");
        byte[] forwardKey = ("forward-secret-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("forward.secret"), forwardKey);
        Wiser sink = new Wiser();
        sink.setPort(FreePorts.tcp());
        sink.getServer().setBindAddress(InetAddress.getLoopbackAddress());
        sink.start();
        Properties p = new Properties();
        p.setProperty("http.address", "127.0.0.1");
        p.setProperty("http.port", Integer.toString(FreePorts.tcp()));
        p.setProperty("tls", "false");
        p.setProperty("management.port", Integer.toString(FreePorts.tcp()));
        p.setProperty("dataDir", "data");
        p.setProperty("smtp.host", "127.0.0.1");
        p.setProperty("smtp.port", Integer.toString(sink.getServer().getPort()));
        p.setProperty("challenge.from", "acme-challenge@ca.test");
        p.setProperty("forward.hmacKeyFile", "forward.secret");
        p.setProperty("forward.keyId", FORWARD_KEY_ID);
        p.setProperty("retryAfter", "1s");
        extra.forEach(p::setProperty);
        try {
            return new TestCaHarness(dir, sink, TestCa.start(TestCaSettings.parse(p, dir)), forwardKey);
        } catch (RuntimeException e) {
            sink.stop();
            TempDirs.delete(dir);
            throw e;
        }
    }

    public static TestCaHarness start() throws IOException {
        return start(Map.of());
    }

    /** Settings for {@code eab=<policy>} with the one key {@link #EAB_KID}. */
    public static Map<String, String> withEab(String policy) {
        return Map.of("eab", policy, "eab.key." + EAB_KID,
                Base64.getUrlEncoder().withoutPadding().encodeToString(EAB_KEY));
    }

    public TestCa ca() {
        return ca;
    }

    /** A new raw client on this CA's directory. */
    public RawAcmeClient client() {
        return new RawAcmeClient(ca.directory());
    }

    /** Plays the CA-role James's forwarder with the right key. */
    public ResultPoster results() {
        return new ResultPoster(ca.resultUrl(), FORWARD_KEY_ID, forwardKey);
    }

    /** Plays a forwarder that has the wrong key. */
    public ResultPoster resultsWithKey(byte[] key) {
        return new ResultPoster(ca.resultUrl(), FORWARD_KEY_ID, key);
    }

    /** The challenge mail sent to {@code address}, waited for. */
    public ChallengeMailSeen challengeMailTo(String address) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> find(address), Optional::isPresent).orElseThrow();
    }

    /** How many mails the sink has caught so far. */
    public int mailCount() {
        return sink.getMessages().size();
    }

    private Optional<ChallengeMailSeen> find(String address) {
        return sink.getMessages().stream().filter(m -> address.equalsIgnoreCase(m.getEnvelopeReceiver()))
                .map(ChallengeMailSeen::of).flatMap(Optional::stream).findFirst();
    }

    @Override
    public void close() throws IOException {
        try {
            ca.close();
        } finally {
            sink.stop();
            TempDirs.delete(dir);
        }
    }
}
