package dev.acmesmime.rfc8823;

import static dev.acmesmime.rfc8823.Fixtures.STRICT;
import static dev.acmesmime.rfc8823.Fixtures.TOKEN_PART1;
import static dev.acmesmime.rfc8823.Fixtures.TOKEN_PART2;
import static dev.acmesmime.rfc8823.Fixtures.TV1_THUMBPRINT;
import static dev.acmesmime.rfc8823.Fixtures.TV3_DIGEST;
import static dev.acmesmime.rfc8823.Fixtures.TV3_STRIPPED_DIGEST;
import static dev.acmesmime.rfc8823.Fixtures.bytes;
import static dev.acmesmime.rfc8823.Fixtures.eml;
import static dev.acmesmime.rfc8823.Fixtures.failDetail;
import static dev.acmesmime.rfc8823.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** Response rules of RFC 8823 §3.2 (R1–R14, D14, X1, X11, X12) on fixture mails. */
class ResponseInspectionTest {

    /** The Figure 2 digest (not a real test vector, X3). */
    private static final String FIG2_DIGEST = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0=";

    private static final Expectations TV3 = Expectations.builder()
            .tokenPart2(TOKEN_PART2).accountThumbprint(TV1_THUMBPRINT).build();

    private static Verdict response(String fixture) {
        return STRICT.inspectResponse(eml(fixture), Expectations.NONE);
    }

    /** Figure 2 with the digest replaced by another value. */
    private static byte[] fig2WithDigest(String digestLines) {
        return bytes(text("fig2-response.eml").replace("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowy\r\njxAjEuX0=", digestLines));
    }

    @Test
    void r1_figure2ParsesWithDocumentedValues() {
        Verdict v = STRICT.inspect(eml("fig2-response.eml"));
        SoftAssertions.assertSoftly(s -> {
            s.assertThat(v.kind()).isEqualTo(MessageKind.RESPONSE);
            s.assertThat(v.failureCodes()).isEmpty();
            s.assertThat(v.valid()).isTrue();
            s.assertThat(v.values().tokenPart1()).isEqualTo(TOKEN_PART1);
            s.assertThat(v.values().digest()).isEqualTo(FIG2_DIGEST);
            s.assertThat(v.values().from()).isEqualTo("alexey@example.com");
            s.assertThat(v.values().to()).isEqualTo("acme-generator@example.org");
            s.assertThat(v.values().inReplyTo()).isEqualTo("<A2299BB.FF7788@example.org>");
        });
    }

    @Test
    void r2_encodedAndLocalizedPrefixIsIgnored() {
        Verdict v = response("r2-encoded-aw-prefix.eml");
        // the ISO-8859-1 word is wholly inside the ignored prefix, so C7 does not apply to it
        assertThat(v.failureCodes()).isEmpty();
        assertThat(v.values().tokenPart1()).isEqualTo(TOKEN_PART1);
    }

    @Test
    void r2_anyPrefixBeforeTheLastLabel() {
        byte[] mail = bytes(text("fig2-response.eml").replace("Subject: Re: ACME:", "Subject: RE: Fwd: ACME: AW: ACME:"));
        Verdict v = STRICT.inspectResponse(mail, Expectations.NONE);
        assertThat(v.failureCodes()).isEmpty();
        assertThat(v.values().tokenPart1()).isEqualTo(TOKEN_PART1);
    }

    @Test
    void r2_foreignCharsetInTheTokenIsCharset() {
        byte[] mail = bytes(text("fig2-response.eml").replace("Subject: Re: ACME: LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=",
                "Subject: Re: =?ISO-8859-1?Q?ACME:_LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=3D?="));
        Verdict v = STRICT.inspectResponse(mail, Expectations.NONE);
        assertThat(failDetail(v, FailureCode.CHARSET)).contains("ISO-8859-1");
    }

    @Test
    void r2_subjectWithoutTokenIsSubjectSyntax() {
        byte[] mail = bytes(text("fig2-response.eml").replace("Subject: Re: ACME: LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=",
                "Subject: Re: your certificate"));
        Verdict v = STRICT.inspect(mail);
        assertThat(v.kind()).isEqualTo(MessageKind.RESPONSE);
        assertThat(failDetail(v, FailureCode.SUBJECT_SYNTAX)).contains("no \"ACME:\" label");
    }

    @Test
    void r7_listHeaderIsRejected() {
        Verdict v = response("r7-list-header.eml");
        assertThat(v.failureCodes()).containsExactly(FailureCode.LIST_HEADER);
        assertThat(failDetail(v, FailureCode.LIST_HEADER)).contains("List-Id").contains("List-Unsubscribe");
    }

    @Test
    void r8_htmlOnlyIsBodyFormat() {
        Verdict v = STRICT.inspect(eml("r8-html-only.eml"));
        assertThat(v.kind()).isEqualTo(MessageKind.RESPONSE);
        assertThat(v.failureCodes()).containsExactly(FailureCode.BODY_FORMAT);
        assertThat(failDetail(v, FailureCode.BODY_FORMAT)).contains("text/html");
    }

    @Test
    void r8_multipartMixedIsBodyFormat() {
        Verdict v = response("r8-multipart-mixed.eml");
        assertThat(failDetail(v, FailureCode.BODY_FORMAT)).contains("multipart/mixed");
    }

    @Test
    void r8_alternativeWithQuotedPrintableAndBareLf() {
        Verdict v = STRICT.inspect(eml("r8-alternative-qp-lf.eml"));
        assertThat(v.kind()).isEqualTo(MessageKind.RESPONSE);
        assertThat(v.failureCodes()).isEmpty();
        assertThat(v.values().digest()).isEqualTo(FIG2_DIGEST);
    }

    @Test
    void r8_alternativeWithoutTextPlainIsBodyFormat() {
        byte[] mail = bytes(text("r8-alternative-qp-lf.eml").replace("Content-Type: text/plain; charset=utf-8", "Content-Type: text/enriched"));
        Verdict v = STRICT.inspectResponse(mail, Expectations.NONE);
        assertThat(failDetail(v, FailureCode.BODY_FORMAT)).contains("no text/plain part").contains("text/enriched");
    }

    @Test
    void r14_base64BodyIsDecoded() {
        Verdict v = response("r14-base64-body.eml");
        assertThat(v.failureCodes()).isEmpty();
        assertThat(v.values().digest()).isEqualTo("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0");
    }

    @Test
    void r9_blockOnlyInsideQuotingIsNoAnswer() {
        Verdict v = response("r9-block-only-quoted.eml");
        assertThat(v.failureCodes()).containsExactly(FailureCode.BODY_FORMAT);
        assertThat(failDetail(v, FailureCode.BODY_FORMAT)).contains("quoting");
    }

    @Test
    void r9_noBlockIsBodyFormat() {
        Verdict v = response("r9-no-block.eml");
        assertThat(failDetail(v, FailureCode.BODY_FORMAT)).contains("no -----BEGIN ACME RESPONSE----- line");
    }

    @Test
    void r12_beginWithoutEndIsBodyFormat() {
        byte[] mail = bytes(text("fig2-response.eml").replace("-----END ACME RESPONSE-----", "bye"));
        Verdict v = STRICT.inspectResponse(mail, Expectations.NONE);
        assertThat(failDetail(v, FailureCode.BODY_FORMAT)).contains("without an END line");
    }

    @Test
    void r11_digestSyntaxIsChecked() {
        Verdict v = response("r9-digest-syntax.eml");
        assertThat(v.failureCodes()).containsExactly(FailureCode.DIGEST_SYNTAX);
        assertThat(failDetail(v, FailureCode.DIGEST_SYNTAX)).contains("AX+Dfowy").contains("32 octets");
    }

    @Test
    void r11_digestOfWrongLengthIsDigestSyntax() {
        Verdict v = STRICT.inspectResponse(fig2WithDigest("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjE"), Expectations.NONE);
        assertThat(failDetail(v, FailureCode.DIGEST_SYNTAX)).contains("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjE");
    }

    @Test
    void r11_digestWrappedOverManyLinesWithSpaces() {
        Verdict v = STRICT.inspectResponse(fig2WithDigest("  ZEzZgc9aJoD_n58j \r\nPgRZT72bYhm3x\t\r\ngODx3XMbYEeaBo="), TV3);
        assertThat(v.failureCodes()).isEmpty();
        assertThat(v.values().digest()).isEqualTo(TV3_DIGEST + "=");
    }

    @Test
    void x1_tv3DigestMatchesWithAndWithoutPadding() {
        assertThat(STRICT.inspectResponse(fig2WithDigest(TV3_DIGEST), TV3).valid()).isTrue();
        assertThat(STRICT.inspectResponse(fig2WithDigest(TV3_DIGEST + "="), TV3).valid()).isTrue();
    }

    @Test
    void tv3_strippedPaddingDoesNotValidate() {
        Verdict v = STRICT.inspectResponse(fig2WithDigest(TV3_STRIPPED_DIGEST), TV3);
        assertThat(v.valid()).isFalse();
        assertThat(v.failureCodes()).containsExactly(FailureCode.DIGEST_MISMATCH);
        assertThat(failDetail(v, FailureCode.DIGEST_MISMATCH)).contains(TV3_STRIPPED_DIGEST).contains(TOKEN_PART1)
                .doesNotContain(TV3_DIGEST);
    }

    @Test
    void x2_byteConcatenationDigestNeedsLeniency() {
        String byteDigest = KeyAuthorization.digestByteConcatenation(TOKEN_PART1, TOKEN_PART2, TV1_THUMBPRINT);
        assertThat(byteDigest).isNotEqualTo(TV3_DIGEST);
        Verdict strict = STRICT.inspectResponse(fig2WithDigest(byteDigest), TV3);
        assertThat(strict.failureCodes()).containsExactly(FailureCode.DIGEST_MISMATCH);
        Verdict lenient = AcmeMailInspector.builder().authenticity(Fixtures.PASSING)
                .leniency(Leniency.BYTE_CONCATENATION).build().inspectResponse(fig2WithDigest(byteDigest), TV3);
        assertThat(lenient.valid()).isTrue();
        assertThat(lenient.leniencies()).containsExactly("byte-concatenation");
    }

    @Test
    void r3_unexpectedSenderIsRejected() {
        Verdict v = STRICT.inspectResponse(eml("fig2-response.eml"),
                Expectations.builder().expectedFrom("bob@example.com").build());
        assertThat(v.failureCodes()).containsExactly(FailureCode.UNEXPECTED_SENDER);
        assertThat(failDetail(v, FailureCode.UNEXPECTED_SENDER)).contains("alexey@example.com").contains("bob@example.com");
    }

    @Test
    void r3_twoFromMailboxesIsFrom() {
        byte[] mail = bytes(text("fig2-response.eml").replace("From: alexey@example.com", "From: alexey@example.com, eve@example.net"));
        Verdict v = STRICT.inspectResponse(mail, Expectations.NONE);
        assertThat(failDetail(v, FailureCode.FROM)).contains("2 mailboxes");
    }

    @Test
    void r4_toMustContainTheExpectedAddress() {
        byte[] mail = bytes(text("fig2-response.eml").replace("To: acme-generator@example.org",
                "To: Someone <someone@example.net>, ACME <acme-generator@EXAMPLE.ORG>"));
        assertThat(STRICT.inspectResponse(mail, Expectations.builder().expectedTo("acme-generator@example.org").build())
                .failureCodes()).isEmpty();
        Verdict v = STRICT.inspectResponse(eml("fig2-response.eml"),
                Expectations.builder().expectedTo("acme-validator@example.org").build());
        assertThat(v.failureCodes()).containsExactly(FailureCode.TO);
        assertThat(failDetail(v, FailureCode.TO)).contains("acme-validator@example.org");
    }

    @Test
    void r4_missingToIsRejected() {
        byte[] mail = bytes(text("fig2-response.eml").replace("To: acme-generator@example.org\r\n", ""));
        Verdict v = STRICT.inspectResponse(mail, Expectations.NONE);
        assertThat(failDetail(v, FailureCode.TO)).contains("no To field");
    }

    @Test
    void r5_ccIsIgnored() {
        byte[] mail = bytes(text("fig2-response.eml").replace("To: acme-generator@example.org",
                "To: acme-generator@example.org\r\nCc: not an address list ;;; <<"));
        assertThat(STRICT.inspectResponse(mail, Expectations.NONE).failureCodes()).isEmpty();
    }

    @Test
    void x10_autoSubmittedOnResponseIsTolerated() {
        byte[] mail = bytes(text("fig2-response.eml").replace("MIME-Version", "Auto-Submitted: auto-replied\r\nMIME-Version"));
        assertThat(STRICT.inspectResponse(mail, Expectations.NONE).failureCodes()).isEmpty();
    }

    @Test
    void d14_duplicateMessageIdOnResponse() {
        byte[] mail = bytes(text("fig2-response.eml").replace("MIME-Version", "Message-ID: <other@example.com>\r\nMIME-Version"));
        Verdict v = STRICT.inspectResponse(mail, Expectations.NONE);
        assertThat(v.failureCodes()).containsExactly(FailureCode.DUPLICATE_HEADER);
        assertThat(failDetail(v, FailureCode.DUPLICATE_HEADER)).contains("Message-ID x2");
    }

    @Test
    void r15_withoutVerifierAPerfectResponseIsInvalidWithDkimNone() {
        Verdict v = AcmeMailInspector.builder().build().inspectResponse(fig2WithDigest(TV3_DIGEST), TV3);
        assertThat(v.valid()).isFalse();
        assertThat(v.failureCodes()).containsExactly(FailureCode.DKIM_NONE);
    }

    @Test
    void notAcmeWhenNeitherLabelNorBlock() {
        byte[] mail = bytes(text("r9-no-block.eml").replace("Re: ACME: LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=", "Re: lunch"));
        Verdict v = STRICT.inspectResponse(mail, Expectations.NONE);
        assertThat(v.kind()).isEqualTo(MessageKind.OTHER);
        assertThat(failDetail(v, FailureCode.NOT_ACME)).contains("no response");
    }
}
