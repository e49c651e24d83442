package dev.acmesmime.dkim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.acmesmime.rfc8823.MessageKind;

/**
 * The header fields an RFC 8823 DKIM signature must and should name in {@code h=}.
 * <p>
 * One place for both roles: {@link DkimPolicyVerifier} requires {@link #required(MessageKind)},
 * {@link DkimSigner} signs {@link #toSign(MessageKind)}. Names are compared case-insensitively
 * (RFC 6376 §3.5) and count whether or not the field is present in the mail: naming an absent
 * field asserts its absence (RFC 6376 §5.4, checklist D9, D10).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3.1">RFC 8823 §3.1 item 6</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3.2">RFC 8823 §3.2 item 9</a>
 */
public final class SignedFields {

    /** D2: a challenge's {@code h=} MUST contain at least these. */
    public static final List<String> CHALLENGE_REQUIRED = List.of(
            "From", "Sender", "Reply-To", "To", "CC", "Subject", "Date", "In-Reply-To", "References",
            "Message-ID", "Auto-Submitted", "Content-Type", "Content-Transfer-Encoding");

    /** D7: a response's {@code h=} MUST contain at least these (the D2 list without Auto-Submitted). */
    public static final List<String> RESPONSE_REQUIRED = CHALLENGE_REQUIRED.stream()
            .filter(n -> !n.equals("Auto-Submitted")).toList();

    /** The two lists in lower case, for {@link #missing}. */
    private static final List<String> CHALLENGE_LOWER = lowerCase(CHALLENGE_REQUIRED);
    private static final List<String> RESPONSE_LOWER = lowerCase(RESPONSE_REQUIRED);

    /** D3 (and the SHOULD of D7): both kinds SHOULD also name these. */
    public static final List<String> RECOMMENDED = List.of(
            "Resent-Date", "Resent-From", "Resent-To", "Resent-Cc", "List-Id", "List-Help",
            "List-Unsubscribe", "List-Subscribe", "List-Post", "List-Owner", "List-Archive",
            "List-Unsubscribe-Post");

    /**
     * Named once more than they occur when signing, so that a second copy added in transit breaks
     * the signature (RFC 6376 §5.4.2, §8.15; checklist D14).
     */
    public static final List<String> OVERSIGNED = List.of("From", "To", "Subject");

    private SignedFields() {
    }

    /** The MUST list for the kind: D2 for a challenge, D7 otherwise. */
    public static List<String> required(MessageKind kind) {
        return kind == MessageKind.CHALLENGE ? CHALLENGE_REQUIRED : RESPONSE_REQUIRED;
    }

    /**
     * The {@code h=} list our signer uses, lower case: the MUST list, the SHOULD list, then the
     * over-signed names once more.
     */
    public static List<String> toSign(MessageKind kind) {
        List<String> names = new ArrayList<>();
        required(kind).forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
        RECOMMENDED.forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
        OVERSIGNED.forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
        return List.copyOf(names);
    }

    /** The names of {@code required} that {@code signed} lacks, compared case-insensitively. */
    static List<String> missing(List<String> required, List<String> signed) {
        List<String> lower = required == CHALLENGE_REQUIRED ? CHALLENGE_LOWER
                : required == RESPONSE_REQUIRED ? RESPONSE_LOWER : lowerCase(required);
        List<String> missing = new ArrayList<>(0);
        for (int i = 0; i < required.size(); i++) {
            // signers write h= in lower case (ours does): look for that first, then any case
            String n = required.get(i);
            if (!signed.contains(lower.get(i)) && signed.stream().noneMatch(n::equalsIgnoreCase)) {
                missing.add(n);
            }
        }
        return missing;
    }

    private static List<String> lowerCase(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }
}
