package dev.acmesmime.rfc8823;

import static dev.acmesmime.rfc8823.Fixtures.STRICT;
import static dev.acmesmime.rfc8823.Fixtures.TOKEN_PART1;
import static dev.acmesmime.rfc8823.Fixtures.TOKEN_PART2;
import static dev.acmesmime.rfc8823.Fixtures.TV4_DIGEST;
import static dev.acmesmime.rfc8823.Fixtures.TV4_THUMBPRINT;
import static dev.acmesmime.rfc8823.Fixtures.eml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

/** {@link ChallengeMail} and {@link ResponseMail}: exact output and round trips through the inspector. */
class ComposeTest {

    private static final ZonedDateTime DATE = ZonedDateTime.of(2020, 12, 5, 12, 1, 45, 0, ZoneOffset.ofHours(1));

    @Test
    void r1_responseIsExactlyTheDocumentedMessage() {
        ResponseMail mail = ResponseMail.builder()
                .from("alexey@example.com").to("acme-generator@example.org")
                .tokenPart1(TOKEN_PART1).keyAuthorization(TOKEN_PART2, TV4_THUMBPRINT)
                .inReplyTo("<A2299BB.FF7788@example.org>").messageId("<r1@example.com>").date(DATE)
                .build();
        assertThat(mail.asString()).isEqualTo(""
                + "From: alexey@example.com\r\n"
                + "To: acme-generator@example.org\r\n"
                + "Subject: Re: ACME: " + TOKEN_PART1 + "\r\n"
                + "Date: Sat, 5 Dec 2020 12:01:45 +0100\r\n"
                + "Message-ID: <r1@example.com>\r\n"
                + "In-Reply-To: <A2299BB.FF7788@example.org>\r\n"
                + "References: <A2299BB.FF7788@example.org>\r\n"
                + "Auto-Submitted: auto-replied\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n"
                + "\r\n"
                // TV4: acme4j's expected body
                + "-----BEGIN ACME RESPONSE-----\r\n" + TV4_DIGEST + "\r\n-----END ACME RESPONSE-----\r\n");
        assertThat(mail.digest()).isEqualTo(TV4_DIGEST);
    }

    @Test
    void r4_answeringTv5GoesToReplyToWithInReplyTo() {
        Verdict challenge = STRICT.inspectChallenge(eml("tv5-challenge-folded-q-subject.eml"), Expectations.NONE);
        ResponseMail reply = ResponseMail.answering(challenge, TOKEN_PART2, TV4_THUMBPRINT).date(DATE).build();
        assertThat(reply.to()).isEqualTo("acme-validator@example.org");
        assertThat(reply.from()).isEqualTo("alexey@example.com");
        assertThat(reply.asString()).contains("\r\nIn-Reply-To: <A2299BB.FF7788@example.org>\r\n")
                .contains("\r\nSubject: Re: ACME: " + TOKEN_PART1 + "\r\n")
                .contains("\r\n" + TV4_DIGEST + "\r\n");
        assertThat(reply.messageId()).matches("<[A-Za-z0-9_-]{24}@example\\.com>");
    }

    @Test
    void roundTrip_composedResponseInspectsAsResponseWhoseDigestMatches() {
        Verdict challenge = STRICT.inspectChallenge(eml("fig1-challenge.eml"), Expectations.NONE);
        byte[] reply = ResponseMail.answering(challenge, TOKEN_PART2, TV4_THUMBPRINT).build().toByteArray();
        Verdict v = STRICT.inspect(reply, Expectations.builder().expectedFrom("alexey@example.com")
                .expectedTo("acme-generator@example.org").tokenPart2(TOKEN_PART2).accountThumbprint(TV4_THUMBPRINT).build());
        assertThat(v.kind()).isEqualTo(MessageKind.RESPONSE);
        assertThat(v.checks()).allMatch(Check::ok);
        assertThat(v.checks()).anyMatch(c -> c.code() == FailureCode.DIGEST_MISMATCH && c.ok());
        assertThat(v.values().digest()).isEqualTo(TV4_DIGEST);
        assertThat(v.valid()).isTrue();
    }

    @Test
    void roundTrip_composedChallengeInspectsAsChallengeWithoutHeaderFailures() {
        ChallengeMail mail = ChallengeMail.builder()
                .from("acme-challenge@ca.example").to("alexey@example.com").replyTo("acme-response@ca.example")
                .random(new SecureRandom()).build();
        Verdict v = AcmeMailInspector.builder().build().inspect(mail.toByteArray(),
                Expectations.builder().expectedFrom("acme-challenge@ca.example").expectedTo("alexey@example.com").build());
        assertThat(v.kind()).isEqualTo(MessageKind.CHALLENGE);
        // without a verifier only the authenticity check fails
        assertThat(v.failureCodes()).containsExactly(FailureCode.DKIM_NONE);
        assertThat(v.values().tokenPart1()).isEqualTo(mail.tokenPart1()).hasSize(44);
        assertThat(v.values().messageId()).isEqualTo(mail.messageId());
        assertThat(v.values().responseRecipient()).contains("acme-response@ca.example");
        assertThat(v.checks()).anyMatch(c -> c.code() == FailureCode.AUTO_SUBMITTED && c.ok() && c.detail().contains("type=acme"));

        // and the whole loop: answer it, validate the answer
        ResponseMail reply = ResponseMail.answering(v, TOKEN_PART2, TV4_THUMBPRINT).build();
        Verdict r = STRICT.inspectResponse(reply.toByteArray(), Expectations.builder()
                .expectedTo("acme-response@ca.example").tokenPart2(TOKEN_PART2).accountThumbprint(TV4_THUMBPRINT).build());
        assertThat(r.valid()).isTrue();
    }

    @Test
    void c4_challengeHeadersAndBodyAreUsAsciiCrlf() {
        ChallengeMail mail = ChallengeMail.builder().from("ca@ca.example").to("u@example.com")
                .tokenPart1(TOKEN_PART1).messageId("c1@ca.example").date(DATE).body("line one\nline two").build();
        String s = mail.asString();
        assertThat(s).startsWith("Auto-Submitted: auto-generated; type=acme\r\nDate: Sat, 5 Dec 2020 12:01:45 +0100\r\n"
                + "Message-ID: <c1@ca.example>\r\nFrom: ca@ca.example\r\nTo: u@example.com\r\nSubject: ACME: " + TOKEN_PART1 + "\r\n");
        assertThat(s).endsWith("\r\n\r\nline one\r\nline two\r\n");
        assertThat(s.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
    }

    @Test
    void c5_longTokenIsFoldedAndStillReadBack() {
        String longToken = "A".repeat(120);
        ChallengeMail mail = ChallengeMail.builder().from("ca@ca.example").to("u@example.com").tokenPart1(longToken).build();
        for (String line : mail.asString().split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(78);
        }
        assertThat(STRICT.inspectChallenge(mail.toByteArray(), Expectations.NONE).values().tokenPart1()).isEqualTo(longToken);
    }

    @Test
    void headerInjectionIsRefused() {
        assertThatThrownBy(() -> ResponseMail.builder().from("a@example.com\r\nBcc: x@evil.example"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("addr-spec");
        assertThatThrownBy(() -> ResponseMail.builder().inReplyTo("<a b@example.com>"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChallengeMail.builder().tokenPart1("c2hvcnQ"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 octets");
        assertThatThrownBy(() -> ChallengeMail.builder().from("ca@ca.example").to("u@example.com").body("caf\u00e9").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("US-ASCII");
        assertThatThrownBy(() -> ResponseMail.builder().from("a@example.com").to("b@example.com").build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void answeringRefusesAResponseVerdict() {
        Verdict response = STRICT.inspect(eml("fig2-response.eml"));
        assertThatThrownBy(() -> ResponseMail.answering(response, TOKEN_PART2, TV4_THUMBPRINT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("response");
    }
}
