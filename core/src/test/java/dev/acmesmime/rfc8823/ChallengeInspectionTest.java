package dev.acmesmime.rfc8823;

import static dev.acmesmime.rfc8823.Fixtures.STRICT;
import static dev.acmesmime.rfc8823.Fixtures.TOKEN_PART1;
import static dev.acmesmime.rfc8823.Fixtures.bytes;
import static dev.acmesmime.rfc8823.Fixtures.eml;
import static dev.acmesmime.rfc8823.Fixtures.failDetail;
import static dev.acmesmime.rfc8823.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** Challenge rules of RFC 8823 §3.1 (C4–C14, C21, C23, C24, D14) on fixture mails. */
class ChallengeInspectionTest {

    private static Verdict challenge(String fixture) {
        return STRICT.inspectChallenge(eml(fixture), Expectations.NONE);
    }

    @Test
    void c4_figure1ParsesWithDocumentedValues() {
        Verdict v = STRICT.inspect(eml("fig1-challenge.eml"));
        SoftAssertions.assertSoftly(s -> {
            s.assertThat(v.kind()).isEqualTo(MessageKind.CHALLENGE);
            s.assertThat(v.failureCodes()).isEmpty();
            s.assertThat(v.valid()).isTrue();
            s.assertThat(v.values().tokenPart1()).isEqualTo(TOKEN_PART1);
            s.assertThat(v.values().from()).isEqualTo("acme-generator@example.org");
            s.assertThat(v.values().to()).isEqualTo("alexey@example.com");
            s.assertThat(v.values().messageId()).isEqualTo("<A2299BB.FF7788@example.org>");
            s.assertThat(v.values().responseRecipient()).contains("acme-generator@example.org");
            s.assertThat(v.leniencies()).isEmpty();
        });
    }

    @Test
    void c5_tv5FoldedQEncodedSubjectGivesTokenAndReplyToRecipient() {
        Verdict v = STRICT.inspect(eml("tv5-challenge-folded-q-subject.eml"));
        assertThat(v.kind()).isEqualTo(MessageKind.CHALLENGE);
        assertThat(v.failureCodes()).isEmpty();
        assertThat(v.values().tokenPart1()).isEqualTo(TOKEN_PART1);
        assertThat(v.values().to()).isEqualTo("alexey@example.com");
        assertThat(v.values().responseRecipient()).contains("acme-validator@example.org");
    }

    @Test
    void c6_splitEncodedWordsWithLanguageSuffixAreJoined() {
        Verdict v = challenge("c6-split-encoded-words-lang.eml");
        assertThat(v.failureCodes()).isEmpty();
        assertThat(v.values().tokenPart1()).isEqualTo(TOKEN_PART1);
    }

    @Test
    void c4_tokenThatIsNotBase64urlIsSubjectSyntax() {
        Verdict v = challenge("c4-subject-not-base64url.eml");
        assertThat(v.failureCodes()).containsExactly(FailureCode.SUBJECT_SYNTAX);
        assertThat(failDetail(v, FailureCode.SUBJECT_SYNTAX)).contains("is not base64url").contains("sME+");
        assertThat(v.values().tokenPart1()).isNull();
    }

    @Test
    void c4_missingWhitespaceAfterLabelIsSubjectSyntax() {
        String mail = text("fig1-challenge.eml").replace("ACME: Lg", "ACME:Lg");
        Verdict v = STRICT.inspectChallenge(bytes(mail), Expectations.NONE);
        assertThat(failDetail(v, FailureCode.SUBJECT_SYNTAX)).contains("no whitespace between");
    }

    @Test
    void c4_trailingTextAfterTokenIsSubjectSyntax() {
        String mail = text("fig1-challenge.eml").replace("sME=\r\n", "sME= [External]\r\n");
        Verdict v = STRICT.inspectChallenge(bytes(mail), Expectations.NONE);
        assertThat(failDetail(v, FailureCode.SUBJECT_SYNTAX)).contains("[External]");
    }

    @Test
    void c4_textBeforeLabelThatIsNoReplyPrefixIsSubjectSyntax() {
        String mail = text("fig1-challenge.eml").replace("Subject: ACME:", "Subject: [EXT] ACME:");
        Verdict v = STRICT.inspectChallenge(bytes(mail), Expectations.NONE);
        assertThat(v.failureCodes()).containsExactly(FailureCode.SUBJECT_SYNTAX);
        assertThat(failDetail(v, FailureCode.SUBJECT_SYNTAX)).contains("before \"ACME:\"").contains("[EXT]");
    }

    @Test
    void c21_replyPrefixVariants() {
        for (String prefix : new String[] {"RE:", "AW: ", "Fwd[2]: Re:", "Antw (3):", "  re :"}) {
            String mail = text("fig1-challenge.eml").replace("Subject: ACME:", "Subject: " + prefix + " ACME:");
            assertThat(STRICT.inspectChallenge(bytes(mail), Expectations.NONE).failureCodes()).as(prefix)
                    .containsExactly(FailureCode.REPLY_PREFIX);
        }
    }

    @Test
    void c4_longWhitespaceRunInPrefixIsSubjectSyntaxWithoutBacktracking() {
        // a prefix the reply-prefix pattern almost matches; it must be judged in linear time
        String mail = text("fig1-challenge.eml").replace("Subject: ACME:", "Subject: Re" + " ".repeat(20_000) + "x ACME:");
        Verdict v = STRICT.inspectChallenge(bytes(mail), Expectations.NONE);
        assertThat(v.failureCodes()).containsExactly(FailureCode.SUBJECT_SYNTAX);
    }

    @Test
    void c2_shortTokenIsTokenTooShort() {
        Verdict v = challenge("c4-token-too-short.eml");
        assertThat(v.failureCodes()).containsExactly(FailureCode.TOKEN_TOO_SHORT);
        assertThat(failDetail(v, FailureCode.TOKEN_TOO_SHORT)).contains("15 octets").contains("120 bits");
    }

    @Test
    void c2_exactly128BitsIsEnough() {
        String mail = text("fig1-challenge.eml").replace(TOKEN_PART1, "DGyRejmCefe7v4NfDGDKfA");
        Verdict v = STRICT.inspectChallenge(bytes(mail), Expectations.NONE);
        assertThat(v.failureCodes()).isEmpty();
    }

    @Test
    void c7_latin1EncodedWordIsCharset() {
        Verdict v = challenge("c7-charset-latin1.eml");
        assertThat(v.failureCodes()).containsExactly(FailureCode.CHARSET);
        assertThat(failDetail(v, FailureCode.CHARSET)).contains("ISO-8859-1");
        assertThat(v.values().tokenPart1()).isEqualTo(TOKEN_PART1);
    }

    @Test
    void c12_missingAutoSubmittedIsRejected() {
        Verdict v = challenge("c12-auto-submitted-missing.eml");
        assertThat(v.failureCodes()).containsExactly(FailureCode.AUTO_SUBMITTED);
        assertThat(failDetail(v, FailureCode.AUTO_SUBMITTED)).contains("no Auto-Submitted");
    }

    @Test
    void c12_missingAutoSubmittedAcceptedUnderLeniencyAndRecorded() {
        AcmeMailInspector lenient = AcmeMailInspector.builder().authenticity(Fixtures.PASSING)
                .leniency(Leniency.MISSING_AUTO_SUBMITTED).build();
        Verdict v = lenient.inspectChallenge(eml("c12-auto-submitted-missing.eml"), Expectations.NONE);
        assertThat(v.valid()).isTrue();
        assertThat(v.leniencies()).containsExactly("missing-auto-submitted");
        // the leniency is not recorded when the mail did not need it
        assertThat(lenient.inspectChallenge(eml("fig1-challenge.eml"), Expectations.NONE).leniencies()).isEmpty();
    }

    @Test
    void c12_keywordNoIsRejectedEvenUnderLeniency() {
        AcmeMailInspector lenient = AcmeMailInspector.builder().authenticity(Fixtures.PASSING)
                .leniency(Leniency.MISSING_AUTO_SUBMITTED).build();
        Verdict v = lenient.inspectChallenge(eml("c12-auto-submitted-no.eml"), Expectations.NONE);
        assertThat(failDetail(v, FailureCode.AUTO_SUBMITTED)).contains("\"no\"").contains("auto-generated");
    }

    @Test
    void c13_typeAcmeIsNotRequired() {
        String mail = text("fig1-challenge.eml").replace("auto-generated; type=acme", "auto-generated");
        Verdict v = STRICT.inspectChallenge(bytes(mail), Expectations.NONE);
        assertThat(v.failureCodes()).isEmpty();
        assertThat(v.checks()).anySatisfy(c -> {
            assertThat(c.code()).isEqualTo(FailureCode.AUTO_SUBMITTED);
            assertThat(c.detail()).contains("without type=acme");
        });
    }

    @Test
    void c23_autoSubmittedTwiceIsRejected() {
        Verdict v = challenge("c23-auto-submitted-twice.eml");
        assertThat(failDetail(v, FailureCode.AUTO_SUBMITTED)).contains("2 times");
        assertThat(failDetail(v, FailureCode.DUPLICATE_HEADER)).contains("Auto-Submitted x2");
    }

    @Test
    void c24_recognisesAutoSubmittedWithParametersAndComment() {
        Verdict v = challenge("c24-auto-submitted-comment.eml");
        assertThat(v.failureCodes()).isEmpty();
        assertThat(v.valid()).isTrue();
    }

    @Test
    void c24_unparseableAutoSubmittedIsRejected() {
        String mail = text("fig1-challenge.eml").replace("auto-generated; type=acme", "auto-generated; type");
        Verdict v = STRICT.inspectChallenge(bytes(mail), Expectations.NONE);
        assertThat(failDetail(v, FailureCode.AUTO_SUBMITTED)).contains("does not parse").contains("'='");
    }

    @Test
    void c21_replyPrefixOnChallengeIsRejected() {
        Verdict v = challenge("c21-reply-prefix.eml");
        assertThat(v.kind()).isEqualTo(MessageKind.CHALLENGE);
        assertThat(v.failureCodes()).containsExactly(FailureCode.REPLY_PREFIX);
        assertThat(failDetail(v, FailureCode.REPLY_PREFIX)).contains("\"Re:\"");
    }

    @Test
    void c21_unclassifiedReplyPrefixWithAutoGeneratedIsStillAChallenge() {
        Verdict v = STRICT.inspect(eml("c21-reply-prefix.eml"));
        assertThat(v.kind()).isEqualTo(MessageKind.CHALLENGE);
        assertThat(v.has(FailureCode.REPLY_PREFIX)).isTrue();
    }

    @Test
    void c9_fromWithTwoMailboxesIsRejected() {
        Verdict v = challenge("c9-from-two-mailboxes.eml");
        assertThat(v.failureCodes()).containsExactly(FailureCode.FROM);
        assertThat(failDetail(v, FailureCode.FROM)).contains("holds 2 mailboxes");
    }

    @Test
    void c10_toWithTwoMailboxesIsRejected() {
        Verdict v = challenge("c10-to-two-mailboxes.eml");
        assertThat(v.failureCodes()).containsExactly(FailureCode.TO);
        assertThat(failDetail(v, FailureCode.TO)).contains("holds 2 mailboxes");
    }

    @Test
    void c10_toGroupIsRejected() {
        String mail = text("fig1-challenge.eml").replace("To: alexey@example.com", "To: team: alexey@example.com;");
        Verdict v = STRICT.inspectChallenge(bytes(mail), Expectations.NONE);
        assertThat(failDetail(v, FailureCode.TO)).contains("group");
    }

    @Test
    void c9_missingFromIsRejected() {
        String mail = text("fig1-challenge.eml").replace("From: acme-generator@example.org\r\n", "");
        Verdict v = STRICT.inspectChallenge(bytes(mail), Expectations.NONE);
        assertThat(failDetail(v, FailureCode.FROM)).contains("no From field");
    }

    @Test
    void c9_unexpectedSenderIsRejected() {
        Verdict v = STRICT.inspectChallenge(eml("fig1-challenge.eml"),
                Expectations.builder().expectedFrom("acme-challenge+2i211oi1204310@example.com").build());
        assertThat(v.failureCodes()).containsExactly(FailureCode.UNEXPECTED_SENDER);
        assertThat(failDetail(v, FailureCode.UNEXPECTED_SENDER))
                .contains("acme-generator@example.org").contains("acme-challenge+2i211oi1204310@example.com");
    }

    @Test
    void x20_senderDomainComparesCaseInsensitivelyLocalPartExactly() {
        Verdict sameDomain = STRICT.inspectChallenge(eml("fig1-challenge.eml"),
                Expectations.builder().expectedFrom("acme-generator@EXAMPLE.org").build());
        assertThat(sameDomain.failureCodes()).isEmpty();
        Verdict otherCase = STRICT.inspectChallenge(eml("fig1-challenge.eml"),
                Expectations.builder().expectedFrom("ACME-generator@example.org").build());
        assertThat(otherCase.failureCodes()).containsExactly(FailureCode.UNEXPECTED_SENDER);
    }

    @Test
    void c10_unexpectedRecipientIsTo() {
        Verdict ok = STRICT.inspectChallenge(eml("tv5-challenge-folded-q-subject.eml"),
                Expectations.builder().expectedTo("alexey@example.com").build());
        assertThat(ok.failureCodes()).isEmpty();
        Verdict v = STRICT.inspectChallenge(eml("fig1-challenge.eml"),
                Expectations.builder().expectedTo("bob@example.com").build());
        assertThat(v.failureCodes()).containsExactly(FailureCode.TO);
        assertThat(failDetail(v, FailureCode.TO)).contains("bob@example.com");
    }

    @Test
    void d14_duplicateFromIsRejected() {
        Verdict v = challenge("d14-duplicate-from.eml");
        assertThat(v.failureCodes()).contains(FailureCode.DUPLICATE_HEADER, FailureCode.FROM);
        assertThat(failDetail(v, FailureCode.DUPLICATE_HEADER)).contains("From x2");
    }

    @Test
    void d14_duplicateSubjectIsRejected() {
        String mail = text("fig1-challenge.eml").replace("Subject: ACME:", "Subject: hello\r\nSubject: ACME:");
        Verdict v = STRICT.inspectChallenge(bytes(mail), Expectations.NONE);
        assertThat(failDetail(v, FailureCode.DUPLICATE_HEADER)).contains("Subject x2");
    }

    /** Date is single-instance too (RFC 5322 §3.6): found missing from the list by the CI fuzz run. */
    @Test
    void d14_duplicateDateIsRejected() {
        String mail = text("fig1-challenge.eml").replace("Subject: ACME:", "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\nSubject: ACME:");
        Verdict v = STRICT.inspectChallenge(bytes(mail), Expectations.NONE);
        assertThat(failDetail(v, FailureCode.DUPLICATE_HEADER)).contains("Date x2");
    }

    @Test
    void x6_lowerCaseLabelNeedsLeniency() {
        String mail = text("fig1-challenge.eml").replace("Subject: ACME:", "Subject: acme:");
        Verdict strict = STRICT.inspectChallenge(bytes(mail), Expectations.NONE);
        assertThat(failDetail(strict, FailureCode.SUBJECT_SYNTAX)).contains("\"acme:\"").contains("subject-label-case");
        Verdict lenient = AcmeMailInspector.builder().authenticity(Fixtures.PASSING)
                .leniency(Leniency.SUBJECT_LABEL_CASE).build().inspectChallenge(bytes(mail), Expectations.NONE);
        assertThat(lenient.valid()).isTrue();
        assertThat(lenient.leniencies()).containsExactly("subject-label-case");
    }

    @Test
    void collectsAllFailuresNotOnlyTheFirst() {
        String mail = text("c12-auto-submitted-missing.eml")
                .replace("Subject: ACME:", "Subject: Re: ACME:")
                .replace("To: alexey@example.com", "To: a@example.com, b@example.com");
        Verdict v = STRICT.inspectChallenge(bytes(mail), Expectations.builder().expectedFrom("x@example.org").build());
        assertThat(v.failureCodes()).contains(FailureCode.REPLY_PREFIX, FailureCode.AUTO_SUBMITTED, FailureCode.TO,
                FailureCode.UNEXPECTED_SENDER);
        assertThat(v.has(FailureCode.DKIM_INVALID)).isFalse();
    }

    @Test
    void c15_withoutVerifierAPerfectChallengeIsInvalidWithDkimNone() {
        Verdict v = AcmeMailInspector.builder().build().inspectChallenge(eml("fig1-challenge.eml"), Expectations.NONE);
        assertThat(v.valid()).isFalse();
        assertThat(v.failureCodes()).containsExactly(FailureCode.DKIM_NONE);
        assertThat(failDetail(v, FailureCode.DKIM_NONE)).contains("not verified");
    }

    @Test
    void c15_verifierGetsKindAndFromAddress() {
        String[] seen = new String[2];
        AcmeMailInspector inspector = AcmeMailInspector.builder().authenticity((raw, kind, from) -> {
            seen[0] = kind.label();
            seen[1] = from;
            return java.util.List.of(Check.pass(FailureCode.DKIM_INVALID, "ok"));
        }).build();
        assertThat(inspector.inspect(eml("tv5-challenge-folded-q-subject.eml")).valid()).isTrue();
        assertThat(seen).containsExactly("challenge", "acme-generator@example.org");
    }

    @Test
    void c15_throwingVerifierFailsClosed() {
        AcmeMailInspector inspector = AcmeMailInspector.builder().authenticity((raw, kind, from) -> {
            throw new IllegalStateException("boom");
        }).build();
        Verdict v = inspector.inspect(eml("fig1-challenge.eml"));
        assertThat(v.valid()).isFalse();
        assertThat(failDetail(v, FailureCode.DKIM_NONE)).contains("IllegalStateException");
    }

    @Test
    void c15_verifierReturningNothingFailsClosed() {
        for (AuthenticityVerifier broken : new AuthenticityVerifier[] {(raw, kind, from) -> null,
            (raw, kind, from) -> java.util.List.of(), (raw, kind, from) -> java.util.Arrays.asList((Check) null)}) {
            Verdict v = AcmeMailInspector.builder().authenticity(broken).build().inspect(eml("fig1-challenge.eml"));
            assertThat(v.valid()).isFalse();
            assertThat(failDetail(v, FailureCode.DKIM_NONE)).contains("no result");
        }
    }

    @Test
    void notAcmeForOrdinaryMail() {
        String mail = "From: a@example.org\r\nTo: b@example.org\r\nSubject: lunch?\r\n\r\nhi\r\n";
        Verdict v = STRICT.inspect(bytes(mail));
        assertThat(v.kind()).isEqualTo(MessageKind.OTHER);
        assertThat(v.failureCodes()).containsExactly(FailureCode.NOT_ACME);
        assertThat(STRICT.inspectChallenge(bytes(mail), Expectations.NONE).failureCodes()).containsExactly(FailureCode.NOT_ACME);
        assertThat(failDetail(v, FailureCode.NOT_ACME)).contains("no \"ACME:\" label");
    }
}
