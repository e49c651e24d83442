package dev.acmesmime.smime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.acmesmime.rfc8823.AuthenticityVerifier;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;

/**
 * "Signed using either DKIM or S/MIME" (RFC 8823 §3.1 item 6, C15, D1) for challenges, DKIM alone
 * for responses (§3.2 item 9, R15, D6).
 *
 * <pre>{@code
 * AuthenticityVerifier authenticity = CompositeAuthenticityVerifier.dkimOrSmime(
 *         dkimPolicyVerifier,
 *         SmimeChallengeVerifier.builder().build());
 * }</pre>
 *
 * <h2>Which checks are reported</h2>
 * A path <em>proves</em> the mail when it returned at least one check, all of its checks passed,
 * and one of them is a passing {@code dkim-invalid} or {@code smime-invalid}.
 * <ul>
 * <li>Response, or a challenge whose top-level Content-Type is not an S/MIME signature
 * ({@link SmimeChallengeVerifier#isSmimeSigned}): the DKIM path only, its checks returned as they are.</li>
 * <li>S/MIME-signed challenge: the S/MIME path first. If it proves the mail, only its checks are
 * returned, so a valid S/MIME challenge is not failed for lacking a DKIM signature. Otherwise the
 * DKIM path runs (a CA may sign with both); if it proves the mail, only its checks are returned.
 * If neither does, the checks of both are returned, S/MIME first, so the verdict says why each failed.</li>
 * </ul>
 * A consequence of the last case: a {@code dkim-temperror} next to S/MIME failures makes the
 * verdict not {@linkplain dev.acmesmime.rfc8823.Verdict#retryable() retryable}, although a later
 * DKIM attempt might pass. Thread-safe when both delegates are.
 */
public final class CompositeAuthenticityVerifier implements AuthenticityVerifier {

    private static final Set<FailureCode> PROOF = Set.of(FailureCode.DKIM_INVALID, FailureCode.SMIME_INVALID);

    private final AuthenticityVerifier dkim;
    private final AuthenticityVerifier smime;

    private CompositeAuthenticityVerifier(AuthenticityVerifier dkim, AuthenticityVerifier smime) {
        this.dkim = Objects.requireNonNull(dkim, "dkim");
        this.smime = Objects.requireNonNull(smime, "smime");
    }

    /**
     * @param dkim  the DKIM policy verifier (D2–D16), used for responses and unsigned-by-S/MIME challenges
     * @param smime the S/MIME verifier, normally a {@link SmimeChallengeVerifier}
     */
    public static CompositeAuthenticityVerifier dkimOrSmime(AuthenticityVerifier dkim, AuthenticityVerifier smime) {
        return new CompositeAuthenticityVerifier(dkim, smime);
    }

    @Override
    public List<Check> verify(byte[] rawMessage, MessageKind kind, String fromAddress) {
        if (kind == MessageKind.RESPONSE || !SmimeChallengeVerifier.isSmimeSigned(rawMessage)) {
            return dkim.verify(rawMessage, kind, fromAddress);
        }
        List<Check> smimeChecks = smime.verify(rawMessage, kind, fromAddress);
        if (proves(smimeChecks)) {
            return smimeChecks;
        }
        List<Check> dkimChecks = dkim.verify(rawMessage, kind, fromAddress);
        if (proves(dkimChecks)) {
            return dkimChecks;
        }
        List<Check> all = new ArrayList<>(smimeChecks.size() + dkimChecks.size());
        all.addAll(smimeChecks);
        all.addAll(dkimChecks);
        return List.copyOf(all);
    }

    /** The same conjunction as {@link dev.acmesmime.rfc8823.Verdict#valid()}, applied to one path's checks. */
    static boolean proves(List<Check> checks) {
        return checks != null
                && !checks.isEmpty()
                && checks.stream().allMatch(Check::ok)
                && checks.stream().anyMatch(c -> PROOF.contains(c.code()));
    }
}
