package dev.acmesmime.smime;

import static dev.acmesmime.smime.SignedChallenge.FROM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.dkim.DkimKeyResolver;
import dev.acmesmime.rfc8823.AuthenticityVerifier;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;

/** The one factory of the adapters' authenticity verifier: C15 (DKIM or S/MIME), X14 (trust anchors chosen by the operator). */
class DkimOrSmimeTest {

    private static final Clock AT_NOW = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);
    private static TestPki pki;
    private static byte[] smimeSigned;

    @TempDir
    Path home;

    @BeforeAll
    static void setUp() throws Exception {
        pki = new TestPki("Factory CA");
        smimeSigned = new SignedChallenge(pki, pki.signer(FROM)).build();
    }

    private DkimOrSmime.Builder builder() {
        return DkimOrSmime.builder().keyResolver(DkimKeyResolver.ofRecords(Map.of())).clock(AT_NOW);
    }

    private Path anchorsFile() throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(pki.root.cert());
        }
        return Files.writeString(home.resolve("anchors.pem"), w.toString());
    }

    private static List<FailureCode> failures(AuthenticityVerifier v) {
        return v.verify(smimeSigned, MessageKind.CHALLENGE, FROM).stream().filter(c -> !c.ok()).map(Check::code).toList();
    }

    @Test
    void c15_aPemSettingRelativeToTheBaseAcceptsAnSmimeChallengeSignedUnderIt() throws Exception {
        anchorsFile();

        AuthenticityVerifier v = builder().trustAnchorSetting(" anchors.pem ", home).build();

        assertThat(v).isInstanceOf(CompositeAuthenticityVerifier.class);
        assertThat(failures(v)).isEmpty();
    }

    @Test
    void c15_noneVerifiesDkimAlone() throws Exception {
        AuthenticityVerifier v = builder().trustAnchorSetting("None", home).build();

        assertThat(v).isNotInstanceOf(CompositeAuthenticityVerifier.class);
        assertThat(failures(v)).containsExactly(FailureCode.DKIM_NONE);
    }

    @Test
    void x14_aBlankSettingTrustsTheJdkStoreWhichHoldsNoTestRoot() throws Exception {
        AuthenticityVerifier v = builder().trustAnchorSetting("  ", home).build();

        assertThat(failures(v)).contains(FailureCode.SMIME_UNTRUSTED);
    }

    @Test
    void x14_aMissingFileOrAnEmptyBundleIsRefused() throws Exception {
        Path empty = Files.writeString(home.resolve("empty.pem"), "no certificate here\n");

        assertThatThrownBy(() -> builder().trustAnchorSetting("absent.pem", home)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> builder().trustAnchorSetting(empty.toString(), home)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> builder().trustAnchors(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DkimOrSmime.builder().build()).isInstanceOf(IllegalStateException.class);
    }
}
