package dev.acmesmime.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.testca.client.RunningTestCa;
import dev.acmesmime.testca.client.TestCaTrust;

/**
 * The profile's trust store is what {@link AcmeCaClient} trusts for TLS: a PKCS#12 store with its password
 * file works like PEM; without one the JDK's anchors do not know the test CA; a wrong password stops the
 * client with the setting's name.
 */
class AcmeTrustTest {
    private static final String PASSWORD = "store-pass";

    @RegisterExtension
    static final RunningTestCa CA = RunningTestCa.withDefaults();

    @TempDir
    Path dir;

    private void pkcs12(String file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        List<Certificate> anchors = TestCaTrust.certificates(List.of(CA.ca().rootPem(), CA.ca().tlsPem()));
        for (int i = 0; i < anchors.size(); i++) {
            store.setCertificateEntry("anchor-" + i, anchors.get(i));
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(file))) {
            store.store(out, PASSWORD.toCharArray());
        }
    }

    @Test
    void aPkcs12StoreWithItsPasswordFileIsTrusted() throws Exception {
        pkcs12("trust.p12");
        CaProfile profile = TestCaProfile.of(CA, dir).file("trust.password", PASSWORD + "\n")
                .with(CaProfiles.TRUST_STORE, "trust.p12").with(CaProfiles.TRUST_STORE_PASSWORD_FILE, "trust.password")
                .profile();

        assertThat(new AcmeCaClient(profile, new MemoryAccountKeys()).account().url()).isNotNull();
    }

    @Test
    void aWrongPasswordStopsTheClientNamingTheTrustStoreSetting() throws Exception {
        pkcs12("trust.p12");
        CaProfile profile = TestCaProfile.of(CA, dir).file("trust.password", "not-" + PASSWORD)
                .with(CaProfiles.TRUST_STORE, "trust.p12").with(CaProfiles.TRUST_STORE_PASSWORD_FILE, "trust.password")
                .profile();

        assertThatThrownBy(() -> new AcmeCaClient(profile, new MemoryAccountKeys()))
                .isInstanceOf(CaProfileException.class)
                .hasMessageStartingWith("enrolment.profile.test.trustStore: cannot read " + dir.resolve("trust.p12"))
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void withoutATrustStoreTheJdkAnchorsDoNotKnowTheTestCa() {
        CaProfile profile = TestCaProfile.of(CA, dir).without(CaProfiles.TRUST_STORE).profile();

        assertThatThrownBy(() -> new AcmeCaClient(profile, new MemoryAccountKeys()).account())
                .isInstanceOf(CaException.class)
                .extracting(e -> ((CaException) e).problem())
                .satisfies(p -> assertThat(p.type()).isEqualTo(CaProblem.CONNECTION))
                .satisfies(p -> assertThat(p.detail()).containsIgnoringCase("certification path"));
    }
}
