package dev.acmesmime.ca;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.acmesmime.dkim.DkimPolicyVerifier;
import dev.acmesmime.dkim.SignatureResult;
import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.AuthenticityVerifier;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.Expectations;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.Leniency;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.ResponseReading;
import dev.acmesmime.rfc8823.Verdict;
import dev.acmesmime.store.IssuedChallenge;

/**
 * Checks a response strictly against the challenge it answers (RFC 8823 §3.2): the response rules
 * of {@link AcmeMailInspector} with From = the identifier (R3) and To = the response address (R4),
 * and DKIM under the response policy of {@link DkimPolicyVerifier} (D7 {@code h=} list, {@code d=}
 * exactly the From domain, no {@code l=}, no rsa-sha1, key ≥ 1024 bits; R15). The mail is parsed
 * once; DKIM, which needs DNS, runs only for a correlated, fresh response.
 */
final class ResponseValidation {
    /** Before correlation nothing is verified: the authenticity check says so, and is never kept. */
    private static final AuthenticityVerifier NOT_YET =
            (raw, kind, from) -> List.of(Check.fail(FailureCode.DKIM_NONE, "not verified yet"));

    /**
     * @param verdict    every check, authenticity last
     * @param signatures what DKIM found for each DKIM-Signature field (B15–B18)
     */
    record Validation(Verdict verdict, List<SignatureResult> signatures) {
        Validation {
            signatures = List.copyOf(signatures);
        }

        /** The signature that made the mail authentic, present when the verdict is valid. */
        Optional<SignatureResult> used() {
            return signatures.stream().filter(SignatureResult::acceptable).findFirst();
        }
    }

    private final AcmeMailInspector inspector;
    private final DkimPolicyVerifier dkim;

    ResponseValidation(DkimPolicyVerifier dkim, Set<Leniency> leniencies, Clock clock) {
        this.dkim = dkim;
        AcmeMailInspector.Builder b = AcmeMailInspector.builder().clock(clock);
        leniencies.forEach(b::leniency);
        this.inspector = b.build();
    }

    ResponseReading read(byte[] raw) {
        return inspector.readResponse(raw);
    }

    /** The checks that need no challenge; their authenticity check reads "not verified yet". */
    static Verdict unverified(ResponseReading reading) {
        return reading.inspect(Expectations.NONE, NOT_YET);
    }

    /**
     * Every check against {@code challenge}, DKIM included.
     *
     * @param from the From address the first inspection read
     */
    Validation validate(ResponseReading reading, byte[] raw, String from, IssuedChallenge challenge) {
        List<SignatureResult> signatures;
        List<Check> authenticity;
        try {
            signatures = dkim.evaluate(raw, MessageKind.RESPONSE, from);
            authenticity = signatures.isEmpty()
                    ? List.of(Check.fail(FailureCode.DKIM_NONE,
                            "no DKIM-Signature header field (Authentication-Results fields are not trusted)"))
                    : DkimPolicyVerifier.best(signatures).checks();
        } catch (RuntimeException e) {
            // fail closed, in the inspector's words for any verifier: a bug must not make a mail authentic
            signatures = List.of();
            authenticity = List.of(Check.fail(FailureCode.DKIM_NONE, "authenticity verifier failed: "
                    + e.getClass().getName()));
        }
        Expectations expected = Expectations.builder().expectedFrom(challenge.identifier())
                .expectedTo(challenge.responseAddress()).build();
        List<Check> checks = authenticity;
        return new Validation(reading.inspect(expected, (r, kind, f) -> checks), signatures);
    }
}
