package dev.acmesmime.dkim;

import static dev.acmesmime.dkim.TestMails.bytes;
import static dev.acmesmime.dkim.TestMails.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.Dkimpy;
import dev.acmesmime.testing.TestKeys;

/**
 * {@link DkimSigner} with Ed25519 (RFC 8463), alone and next to RSA (§4): dkimpy (python3-nacl)
 * verifies every signature we write, with keys from a real dnsmasq, and so does our verifier.
 */
@Timeout(120) // hang guard only
class Ed25519SigningTest {

    static final String USER = "user@example.test";
    static final String CA = "acme@ca.test";

    @RegisterExtension
    static final DkimDns DNS = DkimDns.keys(k -> k.ed25519("ed").rsa("rsa", 2048))
            .publish("ed", "example.test", "ed")
            .publish("ed", "ca.test", "ed")
            .publish("rsa", "example.test", "rsa");
    static TestKeys ed;
    static TestKeys rsa;
    static DkimPolicyVerifier verifier;

    @BeforeAll
    static void setUp() {
        ed = DNS.key("ed");
        rsa = DNS.key("rsa");
        verifier = DkimPolicyVerifier.builder().keyResolver(DkimKeyResolver.builder().server(DNS.server()).build()).build();
    }

    static List<String> lower(List<String> names) {
        return names.stream().map(String::toLowerCase).toList();
    }

    @Test
    void ed25519Alone_dkimpyVerifiesOurResponseWithTheD7List() throws Exception {
        DkimSigner signer = DkimSigner.builder().privateKey(ed.pkcs8()).selector("ed").build();
        byte[] signed = signer.sign(TestMails.response(USER, CA), MessageKind.RESPONSE);

        Dkimpy.Verification v = Dkimpy.verify(signed, DNS.server());

        assertThat(signer.algorithms()).containsExactly("ed25519-sha256");
        assertThat(text(signed)).startsWith("DKIM-Signature: a=ed25519-sha256;").contains(" s=ed;", " d=example.test;",
                " c=relaxed/relaxed;").doesNotContain(" l=");
        assertThat(v.ok()).as(v.json()).isTrue();
        assertThat(v.keysize()).isEqualTo(256);
        assertThat(v.h()).containsAll(lower(SignedFields.RESPONSE_REQUIRED)).doesNotContain("auto-submitted");
        assertThat(verifier.verify(signed, MessageKind.RESPONSE, USER)).allMatch(c -> c.ok());
    }

    @Test
    void ed25519Alone_dkimpyVerifiesOurChallenge() throws Exception {
        DkimSigner signer = DkimSigner.builder().privateKey(ed.pkcs8()).selector("ed").build();
        byte[] signed = signer.sign(TestMails.challenge(CA, USER), MessageKind.CHALLENGE);

        Dkimpy.Verification v = Dkimpy.verify(signed, DNS.server());

        assertThat(v.ok()).as(v.json()).isTrue();
        assertThat(v.h()).containsAll(lower(SignedFields.CHALLENGE_REQUIRED));
        assertThat(verifier.verify(signed, MessageKind.CHALLENGE, CA)).allMatch(c -> c.ok());
    }

    @Test
    void dual_dkimpyVerifiesBothSignaturesAndATamperedMailFailsBoth() throws Exception {
        DkimSigner signer = DkimSigner.builder().privateKey(rsa.pkcs8()).selector("rsa")
                .ed25519Key(ed.pkcs8(), "ed").build();
        byte[] signed = signer.sign(TestMails.response(USER, CA), MessageKind.RESPONSE);

        Dkimpy.Verification first = Dkimpy.verify(signed, DNS.server(), 0);
        Dkimpy.Verification second = Dkimpy.verify(signed, DNS.server(), 1);

        assertThat(signer.algorithms()).containsExactly("rsa-sha256", "ed25519-sha256");
        assertThat(first.ok()).as(first.json()).isTrue();
        assertThat(first.s()).isEqualTo("rsa");
        assertThat(second.ok()).as(second.json()).isTrue();
        assertThat(second.s()).isEqualTo("ed");
        assertThat(second.keysize()).isEqualTo(256);

        // dkimpy raises on a body hash mismatch rather than answering false, so the header is changed
        byte[] tampered = bytes(text(signed).replace("Subject: Re: ACME: ", "Subject: Re: ACME: x"));
        assertThat(Dkimpy.verify(tampered, DNS.server(), 0).ok()).isFalse();
        assertThat(Dkimpy.verify(tampered, DNS.server(), 1).ok()).isFalse();
        List<SignatureResult> results = verifier.evaluate(tampered, MessageKind.RESPONSE, USER);
        assertThat(results).extracting(SignatureResult::algorithm).containsExactly("rsa-sha256", "ed25519-sha256");
        assertThat(results).noneMatch(SignatureResult::acceptable);
        assertThat(DkimPolicyVerifier.best(results).checks()).anyMatch(c -> c.code() == FailureCode.DKIM_INVALID && !c.ok());
    }

    @Test
    void dual_eachSignatureAloneSuffices() throws Exception {
        DkimSigner signer = DkimSigner.builder().privateKey(rsa.pkcs8()).selector("rsa")
                .ed25519Key(ed.pkcs8(), "ed").build();
        byte[] signed = signer.sign(TestMails.response(USER, CA), MessageKind.RESPONSE);

        for (String broken : List.of("rsa-sha256", "ed25519-sha256")) {
            List<SignatureResult> results = verifier.evaluate(Ed25519VerificationTest.breakSignature(signed, broken),
                    MessageKind.RESPONSE, USER);
            assertThat(DkimPolicyVerifier.best(results).acceptable()).as("%s broken: %s", broken, results).isTrue();
        }
    }

    @Test
    void refusesAnEd25519KeyWhereItCannotGo() {
        assertThatThrownBy(() -> DkimSigner.builder().privateKey(rsa.pkcs8()).selector("rsa").ed25519Key(rsa.pkcs8(), "ed"))
                .hasMessage("the second DKIM key must be Ed25519, got RSA");
        assertThatThrownBy(() -> DkimSigner.builder().privateKey(rsa.pkcs8()).selector("same")
                .ed25519Key(ed.pkcs8(), "same").build())
                .hasMessage("the Ed25519 key needs a selector of its own, not same");
        assertThatThrownBy(() -> DkimSigner.builder().privateKey(ed.pkcs8()).selector("ed")
                .ed25519Key(ed.pkcs8(), "ed2").build())
                .hasMessageContaining("the first is Ed25519 already");
    }
}
