package dev.acmesmime.rfc8823;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.acmesmime.rfc8823.mime.EncodedWords;

/**
 * The Subject rules of RFC 8823 §3.1 item 1 (challenge: C4–C7, C21) and §3.2 item 1 (response:
 * R1, R2), in one place for both kinds.
 * <p>
 * The Subject is unfolded, RFC 2047 encoded words are decoded (with the RFC 2231 §5 language
 * suffix, X5), and the <em>last</em> {@code ACME:} label is located (X6). A challenge must have
 * nothing before it; a response may have any prefix (R2). After the label come FWS and
 * token-part1; all whitespace in the token is removed (C5, also whitespace that came out of an
 * encoded word, TV5), and nothing else may follow it (X6).
 */
final class SubjectRule {

    static final String LABEL = "ACME:";

    /** A prefix made only of reply or forward markers such as {@code Re:}, {@code AW:}, {@code Fwd[2]:} (C21). */
    // possessive quantifiers: a Subject is attacker-controlled and up to 32 KiB long, so no backtracking
    private static final Pattern REPLY_PREFIX = Pattern.compile(
            "\\s*+(?:\\p{L}{1,10}+(?:\\s*+(?:\\[\\d++\\]|\\(\\d++\\)))?+\\s*+:\\s*+)++");
    private static final Pattern WHITESPACE = Pattern.compile("[ \\t\\r\\n\\f\\u000b]+");

    private final String raw;
    private final EncodedWords.Decoded decoded;
    /** index of the last label, case-insensitive, or -1 */
    private final int labelAt;

    private SubjectRule(String raw) {
        this.raw = raw;
        this.decoded = raw == null ? null : EncodedWords.decode(raw);
        this.labelAt = decoded == null ? -1
                : asciiUpper(decoded.text()).lastIndexOf(LABEL);
    }

    /** Upper-cases a-z only, so indices stay those of the original text (unlike String.toUpperCase). */
    private static String asciiUpper(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] >= 'a' && c[i] <= 'z') {
                c[i] = (char) (c[i] - 32);
            }
        }
        return new String(c);
    }

    /** @param rawSubject the unfolded Subject field body, or {@code null} when there is none */
    static SubjectRule of(String rawSubject) {
        return new SubjectRule(rawSubject);
    }

    /** The Subject carries an {@code ACME:} label in any letter case. */
    boolean hasLabel() {
        return labelAt >= 0;
    }

    /** Only whitespace precedes the label. */
    boolean unprefixed() {
        return hasLabel() && decoded.text().substring(0, labelAt).isBlank();
    }

    /** The outcome of the Subject checks. */
    record Outcome(List<Check> checks, String tokenPart1, boolean labelCaseLeniencyUsed) {
    }

    /**
     * Runs the Subject checks for a challenge or a response.
     *
     * @return checks SUBJECT_SYNTAX, REPLY_PREFIX (challenge only), TOKEN_TOO_SHORT (when the
     *         syntax is right) and CHARSET; the token when SUBJECT_SYNTAX passed
     */
    Outcome check(MessageKind kind, Set<Leniency> leniencies) {
        List<Check> checks = new ArrayList<>(4);
        boolean challenge = kind == MessageKind.CHALLENGE;
        if (raw == null) {
            checks.add(Check.fail(FailureCode.SUBJECT_SYNTAX, "no Subject field"));
            return new Outcome(checks, null, false);
        }
        String text = decoded.text();
        String problems = decoded.problems().isEmpty() ? "" : "; " + String.join("; ", decoded.problems());
        if (!hasLabel()) {
            checks.add(Check.fail(FailureCode.SUBJECT_SYNTAX,
                    "no \"ACME:\" label in Subject " + Untrusted.quote(text) + problems));
            return new Outcome(checks, null, false);
        }
        boolean syntaxOk = true;
        String syntaxDetail = null;
        boolean leniencyUsed = false;

        String label = text.substring(labelAt, labelAt + LABEL.length());
        if (!label.equals(LABEL)) {
            if (leniencies.contains(Leniency.SUBJECT_LABEL_CASE)) {
                leniencyUsed = true;
            } else {
                syntaxOk = false;
                syntaxDetail = "label " + Untrusted.quote(label) + " is not \"ACME:\" (X6; leniency "
                        + Leniency.SUBJECT_LABEL_CASE.option() + " accepts it)";
            }
        }

        String prefix = text.substring(0, labelAt);
        if (challenge) {
            if (prefix.isBlank()) {
                checks.add(Check.pass(FailureCode.REPLY_PREFIX, "no prefix before \"ACME:\""));
            } else if (REPLY_PREFIX.matcher(prefix).matches()) {
                checks.add(Check.fail(FailureCode.REPLY_PREFIX,
                        "challenge Subject has the reply prefix " + Untrusted.quote(prefix.strip()) + " (C21)"));
            } else {
                checks.add(Check.pass(FailureCode.REPLY_PREFIX, "no reply prefix"));
                if (syntaxOk) {
                    syntaxOk = false;
                    syntaxDetail = "text " + Untrusted.quote(prefix) + " before \"ACME:\" in a challenge (C4)";
                }
            }
        }

        String after = text.substring(labelAt + LABEL.length());
        String token = WHITESPACE.matcher(after).replaceAll("");
        if (syntaxOk && (after.isEmpty() || (after.charAt(0) != ' ' && after.charAt(0) != '\t'))) {
            syntaxOk = false;
            syntaxDetail = "no whitespace between \"ACME:\" and token-part1 in " + Untrusted.quote(text) + " (C4)";
        }
        byte[] bytes = Base64Url.decode(token);
        if (syntaxOk && (token.isEmpty() || bytes == null)) {
            syntaxOk = false;
            syntaxDetail = "token-part1 " + Untrusted.quote(token) + " is not base64url (C4)" + problems;
        }
        if (syntaxOk) {
            checks.add(0, Check.pass(FailureCode.SUBJECT_SYNTAX, "token-part1 " + Untrusted.quote(token)
                    + (decoded.encoded() ? " (from encoded words)" : "")));
            checks.add(TokenPart1.lengthCheck(bytes));
        } else {
            checks.add(0, Check.fail(FailureCode.SUBJECT_SYNTAX, syntaxDetail));
        }

        checks.add(charsetCheck(challenge));
        return new Outcome(checks, syntaxOk ? token : null, leniencyUsed && syntaxOk);
    }

    /**
     * C7: only UTF-8 and US-ASCII encoded words. In a response, words wholly inside the ignored
     * prefix (R2) do not count, since localized reply prefixes come in any charset.
     */
    private Check charsetCheck(boolean challenge) {
        List<String> bad = new ArrayList<>();
        for (EncodedWords.ForeignWord w : decoded.foreignWords()) {
            if (challenge || w.end() > labelAt) {
                bad.add(Untrusted.quote(w.charset()));
            }
        }
        if (bad.isEmpty()) {
            return Check.pass(FailureCode.CHARSET, decoded.encoded() ? "encoded words in UTF-8/US-ASCII" : "no encoded words");
        }
        return Check.fail(FailureCode.CHARSET, "Subject encoded word charset " + String.join(", ", bad)
                + " is not UTF-8 or US-ASCII (C7)");
    }
}
