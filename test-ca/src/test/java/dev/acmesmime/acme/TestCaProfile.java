package dev.acmesmime.acme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import dev.acmesmime.testca.client.RunningTestCa;

/**
 * A {@link CaProfile} named {@value #NAME} for a {@link RunningTestCa}, read by {@link CaProfiles} from
 * settings as an admin writes them: the test CA's directory, and a PEM trust store with its root and TLS
 * certificates.
 */
final class TestCaProfile {
    static final String NAME = "test";
    static final String PREFIX = CaProfiles.PREFIX + NAME + ".";

    private final Properties settings = new Properties();
    private final Path dir;

    private TestCaProfile(RunningTestCa ca, Path dir) {
        this.dir = dir;
        try {
            Files.writeString(dir.resolve("ca-trust.pem"), Files.readString(ca.ca().rootPem())
                    + Files.readString(ca.ca().tlsPem()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        settings.setProperty(PREFIX + CaProfiles.DIRECTORY, ca.ca().directory().toString());
        settings.setProperty(PREFIX + CaProfiles.DOMAINS, "example.org");
        settings.setProperty(PREFIX + CaProfiles.TRUST_STORE, "ca-trust.pem");
        settings.setProperty(PREFIX + CaProfiles.TERMS_OF_SERVICE_AGREED, "true");
    }

    /** Terms agreed, no EAB, the defaults for the rest; {@code dir} receives the trust store file. */
    static TestCaProfile of(RunningTestCa ca, Path dir) {
        return new TestCaProfile(ca, dir);
    }

    TestCaProfile with(String setting, String value) {
        settings.setProperty(PREFIX + setting, value);
        return this;
    }

    TestCaProfile without(String setting) {
        settings.remove(PREFIX + setting);
        return this;
    }

    /** Writes {@code content} to {@code file} in the folder, e.g. an EAB HMAC key. */
    TestCaProfile file(String file, String content) {
        try {
            Files.writeString(dir.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    CaProfile profile() {
        return CaProfiles.parse(settings, dir).named(NAME).orElseThrow();
    }
}
