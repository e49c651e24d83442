package dev.acmesmime.dkim;

import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.Dkimpy;
import dev.acmesmime.testing.TestKeys;
import static dev.acmesmime.dkim.TestMails.bytes;
import static dev.acmesmime.dkim.TestMails.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.MessageKind;

/**
 * Unit tests for {@link DkimSigner}: what we sign is verified by Debian's dkimpy (keys from a
 * real dnsmasq) and by our own {@link DkimPolicyVerifier}.
 */
@Timeout(120) // hang guard only
class DkimSignerTest {

    static final String USER = "user@example.test";
    static final String CA = "acme@ca.test";
    static final String SEL = "s2048";

    @RegisterExtension
    static final DkimDns DNS = DkimDns.keys(k -> k.rsa("signer", 2048))
            .publish(SEL, "example.test", "signer")
            .publish(SEL, "ca.test", "signer")
            .publish(SEL, "xn--bcher-kva.test", "signer");
    static TestKeys keys;
    static DkimSigner pkcs1Signer;
    static DkimSigner pkcs8Signer;
    static DkimPolicyVerifier verifier;

    @BeforeAll
    static void setUp() throws Exception {
        keys = DNS.key("signer");
        pkcs1Signer = DkimSigner.builder().privateKey(keys.pkcs1()).selector(SEL).build();
        pkcs8Signer = DkimSigner.builder().privateKey(keys.pkcs8()).selector(SEL).build();
        verifier = DkimPolicyVerifier.builder().keyResolver(DkimKeyResolver.builder().server(DNS.server()).build()).build();
    }

    static List<String> lower(List<String> names) {
        return names.stream().map(String::toLowerCase).toList();
    }

    @Test
    void d7_dkimpyVerifiesOurResponseAndItsHeaderListCoversD7AndD3() throws Exception {
        byte[] signed = pkcs1Signer.sign(TestMails.response(USER, CA), MessageKind.RESPONSE);

        Dkimpy.Verification v = Dkimpy.verify(signed, DNS.server());

        assertThat(v.ok()).as(v.json()).isTrue();
        assertThat(v.d()).isEqualTo("example.test");
        assertThat(v.s()).isEqualTo(SEL);
        assertThat(v.keysize()).isEqualTo(2048);
        assertThat(v.h()).containsAll(lower(SignedFields.RESPONSE_REQUIRED)).containsAll(lower(SignedFields.RECOMMENDED))
                .doesNotContain("auto-submitted");
        assertThat(v.h().stream().filter("from"::equals)).hasSize(2);
        assertThat(v.h().stream().filter("to"::equals)).hasSize(2);
        assertThat(v.h().stream().filter("subject"::equals)).hasSize(2);
    }

    @Test
    void d2_dkimpyVerifiesOurChallengeAndItsHeaderListCoversD2AndD3() throws Exception {
        byte[] signed = pkcs8Signer.sign(TestMails.challenge(CA, USER), MessageKind.CHALLENGE);

        Dkimpy.Verification v = Dkimpy.verify(signed, DNS.server());

        assertThat(v.ok()).as(v.json()).isTrue();
        assertThat(v.d()).isEqualTo("ca.test");
        assertThat(v.h()).containsAll(lower(SignedFields.CHALLENGE_REQUIRED)).containsAll(lower(SignedFields.RECOMMENDED));
    }

    @Test
    void d9_ourVerifierAcceptsWhatWeSign() {
        List<Check> response = verifier.verify(pkcs1Signer.sign(TestMails.response(USER, CA), MessageKind.RESPONSE),
                MessageKind.RESPONSE, USER);
        List<Check> challenge = verifier.verify(pkcs8Signer.sign(TestMails.challenge(CA, USER), MessageKind.CHALLENGE),
                MessageKind.CHALLENGE, CA);

        assertThat(response).allMatch(Check::ok).isNotEmpty();
        assertThat(challenge).allMatch(Check::ok).isNotEmpty();
    }

    @Test
    void d14_overSigningBreaksTheSignatureWhenASecondFromToOrSubjectIsAdded() throws Exception {
        String signed = text(pkcs1Signer.sign(TestMails.response(USER, CA), MessageKind.RESPONSE));
        for (String extra : List.of("From: attacker@example.test", "To: attacker@evil.test", "Subject: ACME: forged")) {
            String forged = extra + "\r\n" + signed;
            int body = forged.indexOf("\r\n\r\n");
            String appended = forged.substring(0, body) + "\r\n" + extra + forged.substring(body);

            for (String mail : List.of(forged, appended)) {
                assertThat(Dkimpy.verify(bytes(mail), DNS.server()).ok()).as(extra).isFalse();
                assertThat(verifier.verify(bytes(mail), MessageKind.RESPONSE, USER)).as(extra).anyMatch(c -> !c.ok());
            }
        }
    }

    @Test
    void d13_neverSignsWithBodyLengthAndUsesRsaSha256Relaxed() {
        String field = pkcs1Signer.signatureField(TestMails.response(USER, CA), MessageKind.RESPONSE);

        assertThat(field).startsWith("DKIM-Signature:").doesNotContain("l=")
                .contains("a=rsa-sha256;").contains("c=relaxed/relaxed;").contains("d=example.test;").contains("s=s2048;");
    }

    @Test
    void d9_foldsTheFieldIntoShortLines() {
        String field = pkcs1Signer.signatureField(TestMails.challenge(CA, USER), MessageKind.CHALLENGE);

        assertThat(field.split("\r\n")).allMatch(line -> line.length() <= 78).hasSizeGreaterThan(5);
        assertThat(java.util.Arrays.stream(field.split("\r\n")).skip(1)).allMatch(line -> line.startsWith(" "));
    }

    @Test
    void d4_takesTheSigningDomainFromFromAsAnALabel() throws Exception {
        String from = "user@Bücher.test";
        byte[] signed = pkcs1Signer.sign(TestMails.response(from, CA), MessageKind.RESPONSE);

        assertThat(text(signed)).contains("d=xn--bcher-kva.test;");
        assertThat(verifier.verify(signed, MessageKind.RESPONSE, from)).allMatch(Check::ok);
    }

    @Test
    void d9_keepsTheMessagesLineEndings() {
        byte[] lf = text(TestMails.response(USER, CA)).replace("\r\n", "\n").getBytes();

        byte[] signed = pkcs1Signer.sign(lf, MessageKind.RESPONSE);

        assertThat(text(signed)).doesNotContain("\r");
        assertThat(verifier.verify(signed, MessageKind.RESPONSE, USER)).allMatch(Check::ok);
    }

    @Test
    void d12_refusesSigningKeysUnder2048Bits() throws Exception {
        TestKeys small = TestKeys.generate(1024, DNS.dir(), "small");

        assertThatThrownBy(() -> DkimSigner.builder().privateKey(small.pkcs8()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DKIM signing key has 1024 bits; at least 2048 are required (RFC 8301 §3.2)");
    }

    @Test
    void refusesMessagesWithoutASingleFromMailbox() {
        String two = "From: a@example.test, b@example.test\r\nTo: x@ca.test\r\n\r\nbody\r\n";

        assertThatThrownBy(() -> pkcs1Signer.sign(bytes(two), MessageKind.RESPONSE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot DKIM-sign: From is not exactly one mailbox with a domain");
        assertThatThrownBy(() -> pkcs1Signer.sign(bytes("To: x@ca.test\r\n\r\nbody\r\n"), MessageKind.RESPONSE))
                .hasMessage("cannot DKIM-sign: the message has 0 From fields");
    }

    @Test
    void putsTheClockIntoT() {
        DkimSigner signer = DkimSigner.builder().privateKey(keys.pair().getPrivate()).selector("S2048")
                .clock(Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC)).build();

        String field = signer.signatureField(TestMails.response(USER, CA), MessageKind.RESPONSE);

        assertThat(field).contains("t=1800000000;").contains("s=s2048;");
    }

    @Test
    void builderChecksItsArguments() {
        assertThatThrownBy(() -> DkimSigner.builder().selector("bad selector"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid DKIM selector: bad selector");
        assertThatThrownBy(() -> DkimSigner.builder().selector(SEL).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("a DKIM private key is required");
    }
}
