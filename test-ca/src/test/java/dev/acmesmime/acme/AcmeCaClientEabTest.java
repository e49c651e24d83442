package dev.acmesmime.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.testca.client.RunningTestCa;

/**
 * {@link AcmeCaClient} against a test CA that requires External Account Binding (RFC 8555 §7.3.4), as
 * commercial CAs do: the profile's kid and HMAC key file open the account; a wrong key or none is the CA's
 * problem, with its type, and nothing is saved.
 */
class AcmeCaClientEabTest {
    private static final String KID = "kid-1";
    private static final String MAC_KEY = macKey();

    @RegisterExtension
    static final RunningTestCa CA = RunningTestCa.withDefaults().with("eab", "required")
            .with("eab.key." + KID, MAC_KEY);

    @TempDir
    Path dir;

    private static String macKey() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(new SecureRandom().generateSeed(32));
    }

    private CaProfile profile(String kid, String key) {
        return TestCaProfile.of(CA, dir).file("eab.key", key + "\n").with(CaProfiles.EAB_KID, kid)
                .with(CaProfiles.EAB_HMAC_KEY_FILE, "eab.key").profile();
    }

    @Test
    void theRightKeyOpensTheAccountAndAMailboxIsEnrolled() throws Exception {
        MemoryAccountKeys keys = new MemoryAccountKeys();
        AcmeCaClient client = new AcmeCaClient(profile(KID, MAC_KEY), keys);

        CaAccount account = client.account();

        assertThat(keys.saved(client.profile()).orElseThrow().url()).contains(account.url());
        X509Certificate leaf = new CaClientFlow(CA, client).enrol("eab@example.org",
                Keys.generate(KeyType.EC_P384), Optional.empty(), 0).get(0);
        assertThat(leaf.getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1))
                .containsExactly("eab@example.org");
    }

    @Test
    void theStoredKeyFindsTheBoundAccountAgain() {
        MemoryAccountKeys keys = new MemoryAccountKeys();
        CaAccount account = new AcmeCaClient(profile(KID, MAC_KEY), keys).account();

        assertThat(new AcmeCaClient(profile(KID, MAC_KEY), keys).account()).isEqualTo(account);
    }

    @Test
    void aWrongKeyIsTheCasUnauthorizedProblem() {
        MemoryAccountKeys keys = new MemoryAccountKeys();
        CaProfile profile = profile(KID, macKey());

        assertThatThrownBy(() -> new AcmeCaClient(profile, keys).account())
                .isInstanceOf(CaException.class)
                .extracting(e -> ((CaException) e).problem())
                .satisfies(p -> assertThat(p.type()).isEqualTo(CaProblem.acmeType("unauthorized")))
                .satisfies(p -> assertThat(p.httpStatus()).isEqualTo(403))
                .satisfies(p -> assertThat(p.retryable()).isFalse())
                .satisfies(p -> assertThat(p.toString()).doesNotContain(MAC_KEY));
        assertThat(keys.saved(profile).orElseThrow().url()).as("no account URL saved").isEmpty();
    }

    @Test
    void noBindingIsExternalAccountRequired() {
        CaProfile profile = TestCaProfile.of(CA, dir).profile();

        assertThatThrownBy(() -> new AcmeCaClient(profile, new MemoryAccountKeys()).account())
                .isInstanceOf(CaException.class)
                .extracting(e -> ((CaException) e).problem().type())
                .isEqualTo(CaProblem.acmeType("externalAccountRequired"));
    }
}
