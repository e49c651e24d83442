package dev.acmesmime.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import dev.acmesmime.dkim.DkimKeyResolver;
import dev.acmesmime.dkim.DkimPolicyVerifier;
import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.ChallengeMail;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.Expectations;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.ResponseMail;
import dev.acmesmime.rfc8823.Verdict;
import dev.acmesmime.testing.TestKeys;

/**
 * The campaign's authentic mails and keys: one RSA-2048 key published (in memory, {@link DkimKeyResolver#ofRecords})
 * for the CA's domain and the organisation's, a challenge from the CA to Alice and Alice's response, both
 * DKIM-signed with it by {@link DkimSigner} (the D7 {@code h=} list), and a DKIM verifier under the RFC 8823
 * policy that resolves only these keys. Made once per JVM: the key takes a moment.
 */
record SignedMails(byte[] challenge, byte[] response, ChallengeMail challengeMail, Map<String, String> records,
                   Path keyDirectory, Clock clock) {

    static final String CA = "acme@ca.test";
    static final String RESPONSE_ADDRESS = "acme+t1@ca.test";
    static final String TAG = "t1";
    static final String ALICE = "alice@org.test";
    static final String TOKEN_PART2 = "DGyRejmCefe7v4NfDGDKfA";
    static final String THUMBPRINT = "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ";
    static final String SELECTOR = "fuzz";
    static final Instant SENT = Instant.parse("2026-11-28T10:00:00Z");

    private static final class Holder {
        static final SignedMails INSTANCE = make();
    }

    /** The one set of this JVM. */
    static SignedMails get() {
        return Holder.INSTANCE;
    }

    /** The DKIM verifier under the RFC 8823 policy, on the campaign's keys only. */
    DkimPolicyVerifier verifier() {
        return DkimPolicyVerifier.builder().keyResolver(DkimKeyResolver.ofRecords(records)).build();
    }

    /** What a response must show to answer {@link #challengeMail}. */
    Expectations responseExpectations() {
        return Expectations.builder().expectedFrom(ALICE).expectedTo(RESPONSE_ADDRESS)
                .tokenPart2(TOKEN_PART2).accountThumbprint(THUMBPRINT).build();
    }

    private static SignedMails make() {
        try {
            Path dir = Files.createTempDirectory("acme-smime-fuzz-keys");
            TestKeys key = TestKeys.generate(2048, dir, "key");
            Path keyDirectory = Files.createDirectory(dir.resolve("dkim"));
            Files.copy(key.pkcs8(), keyDirectory.resolve(SELECTOR + "._domainkey.org.test.pem"));
            Map<String, String> records = Map.of(SELECTOR + "._domainkey.ca.test", key.record(),
                    SELECTOR + "._domainkey.org.test", key.record());
            Clock atSend = Clock.fixed(SENT, ZoneOffset.UTC);
            DkimSigner signer = DkimSigner.builder().privateKey(key.pair().getPrivate()).selector(SELECTOR)
                    .clock(atSend).build();
            ChallengeMail challengeMail = ChallengeMail.builder().from(CA).to(ALICE).replyTo(RESPONSE_ADDRESS)
                    .clock(atSend).build();
            byte[] challenge = signer.sign(challengeMail.toByteArray(), MessageKind.CHALLENGE);
            AcmeMailInspector unchecked = AcmeMailInspector.builder()
                    .authenticity((raw, kind, from) -> List.of(Check.pass(FailureCode.DKIM_INVALID, "fixture only")))
                    .clock(atSend).build();
            Verdict read = unchecked.inspectChallenge(challenge, Expectations.NONE);
            byte[] response = signer.sign(ResponseMail.answering(read, TOKEN_PART2, THUMBPRINT).build().toByteArray(),
                    MessageKind.RESPONSE);
            return new SignedMails(challenge, response, challengeMail, records, keyDirectory,
                    Clock.fixed(SENT.plus(Duration.ofMinutes(3)), ZoneOffset.UTC));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
