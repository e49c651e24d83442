package dev.acmesmime.testca.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.shredzone.acme4j.Session;
import org.subethamail.wiser.Wiser;

import dev.acmesmime.acme.TrustingAcmeProvider;
import dev.acmesmime.store.SecretBytes;
import dev.acmesmime.testca.TestCa;
import dev.acmesmime.testca.TestCaSettings;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.TempDirs;

/**
 * A test CA for one test class, on free loopback ports with TLS on, plus what surrounds it in a real
 * deployment: an SMTP sink standing in for the relay ({@code smtp.host/port}), and the HMAC key of the
 * native contract ({@code forward.hmacKeyFile}) so a test can play the CA-role James
 * ({@link #forwarder()}). Register it as a static {@code @RegisterExtension} field; settings beyond the
 * defaults come from {@link #with}.
 */
public final class RunningTestCa implements BeforeAllCallback, AfterAllCallback {
    public static final String CHALLENGE_FROM = "acme-challenge@ca.test";
    public static final String FORWARD_KEY_ID = "ca-james-1";

    private final Properties settings = new Properties();
    private Path home;
    private Wiser sink;
    private TestCa ca;
    private SSLContext trust;
    private SecretBytes forwardKey;

    private RunningTestCa() {
    }

    public static RunningTestCa withDefaults() {
        return new RunningTestCa();
    }

    /** One more setting (see {@link TestCaSettings} for the keys). */
    public RunningTestCa with(String key, String value) {
        settings.setProperty(key, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        home = Files.createTempDirectory("test-ca-acme4j");
        sink = new Wiser(FreePorts.tcp());
        sink.getServer().setBindAddress(InetAddress.getLoopbackAddress());
        sink.start();
        // a printable key: the CA-role James reads forward.secretFile as text, trailing line breaks dropped
        String key = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
        forwardKey = SecretBytes.of(key.getBytes(StandardCharsets.US_ASCII));
        Files.writeString(home.resolve("forward.secret"), key);
        Properties p = new Properties();
        p.setProperty("http.port", Integer.toString(FreePorts.tcp()));
        p.setProperty("management.port", Integer.toString(FreePorts.tcp()));
        p.setProperty("tls", "true");
        p.setProperty("dataDir", "data");
        p.setProperty("smtp.host", "127.0.0.1");
        p.setProperty("smtp.port", Integer.toString(sink.getServer().getPort()));
        p.setProperty("challenge.from", CHALLENGE_FROM);
        p.setProperty("forward.hmacKeyFile", "forward.secret");
        p.setProperty("forward.keyId", FORWARD_KEY_ID);
        p.putAll(settings);
        ca = TestCa.start(TestCaSettings.parse(p, home));
        trust = TestCaTrust.sslContext(List.of(ca.rootPem(), ca.tlsPem()));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (ca != null) {
                ca.close();
            }
        } finally {
            sink.stop();
            TempDirs.delete(home);
        }
    }

    public TestCa ca() {
        return ca;
    }

    /** A fresh acme4j session on the directory, trusting the test CA's TLS certificate. */
    public Session session() {
        return new Session(ca.directory(), new TrustingAcmeProvider(trust));
    }

    /** An HTTP client trusting the test CA's TLS certificate, for the result and management endpoints. */
    public HttpClient http() {
        return HttpClient.newBuilder().sslContext(trust).build();
    }

    public ChallengeMails mails() {
        return new ChallengeMails(sink);
    }

    public CaRoleForwarder forwarder() {
        return new CaRoleForwarder(http(), ca.resultUrl(), FORWARD_KEY_ID, forwardKey);
    }

    public ManagementClient management() {
        return new ManagementClient(http(), ca.management());
    }
}
