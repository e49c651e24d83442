package dev.acmesmime.rfc8823;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.acmesmime.rfc8823.mime.ParsedMail;
import dev.acmesmime.rfc8823.mime.TextPart;

/**
 * The response body rules of RFC 8823 §3.2 item 7 (R8–R14, X11, X12): where the
 * {@code -----BEGIN ACME RESPONSE-----} block may be, how the digest is read from it, and the
 * digest comparison of RFC 8823 §3 step 6.
 * <p>
 * Policy for what the RFC leaves open (X11): the block is the first one in the first text/plain
 * part that has one, where text/plain is the message body or a direct child of a top-level
 * multipart/alternative (R8). Lines may end in CRLF, LF or CR (X12); BEGIN/END lines may carry
 * surrounding whitespace (format=flowed adds trailing spaces). The lines between BEGIN and END are
 * joined with all whitespace removed. A block that appears only inside {@code >} quoting is a
 * quoted challenge or old reply, not an answer. Other structures (multipart/mixed, an S/MIME
 * multipart/signed wrapper, HTML only) are {@code body-format}: R8 names only the two shapes.
 */
final class ResponseBody {

    static final String BEGIN = "-----BEGIN ACME RESPONSE-----";
    static final String END = "-----END ACME RESPONSE-----";
    /** Octets of a SHA-256 value. */
    private static final int DIGEST_BYTES = 32;

    private ResponseBody() {
    }

    private enum Found { BLOCK, NO_END, QUOTED, NONE }

    private record Scan(Found found, String digest) {
    }

    /** Whether any eligible text part has an unquoted BEGIN line (classification). */
    static boolean hasBlock(ParsedMail mail) {
        for (TextPart p : mail.textParts()) {
            Found f = scan(p.text()).found();
            if (f == Found.BLOCK || f == Found.NO_END) {
                return true;
            }
        }
        return false;
    }

    /** The outcome of the body checks. */
    record Outcome(List<Check> checks, String digest, boolean byteConcatenationUsed) {
    }

    /**
     * Runs BODY_FORMAT, DIGEST_SYNTAX and, when {@code expectations} allow it, DIGEST_MISMATCH.
     *
     * @param tokenPart1 the token read from the Subject, or {@code null} when it was unreadable
     */
    static Outcome check(ParsedMail mail, String tokenPart1, Expectations expectations, Set<Leniency> leniencies) {
        List<Check> checks = new ArrayList<>(3);
        String top = mail.topMimeType();
        if (!top.equals("text/plain") && !top.equals("multipart/alternative")) {
            checks.add(Check.fail(FailureCode.BODY_FORMAT, "media type " + Untrusted.quote(top)
                    + "; RFC 8823 §3.2 allows text/plain or multipart/alternative (R8)"));
            return new Outcome(checks, null, false);
        }
        if (mail.textParts().isEmpty()) {
            checks.add(Check.fail(FailureCode.BODY_FORMAT, "no text/plain part directly inside multipart/alternative (leaf parts: "
                    + Untrusted.quote(String.join(", ", mail.partTypes())) + ") (R8)"));
            return new Outcome(checks, null, false);
        }
        Scan best = null;
        for (TextPart p : mail.textParts()) {
            Scan s = scan(p.text());
            if (s.found() == Found.BLOCK) {
                best = s;
                break;
            }
            if (best == null || s.found().ordinal() < best.found().ordinal()) {
                best = s;
            }
        }
        switch (best.found()) {
            case NO_END -> {
                checks.add(Check.fail(FailureCode.BODY_FORMAT, "BEGIN ACME RESPONSE line without an END line (R9)"));
                return new Outcome(checks, null, false);
            }
            case QUOTED -> {
                checks.add(Check.fail(FailureCode.BODY_FORMAT,
                        "the ACME RESPONSE block appears only inside '>' quoting (X11)"));
                return new Outcome(checks, null, false);
            }
            case NONE -> {
                checks.add(Check.fail(FailureCode.BODY_FORMAT, "no " + BEGIN + " line in the text/plain part (R9)"));
                return new Outcome(checks, null, false);
            }
            default -> checks.add(Check.pass(FailureCode.BODY_FORMAT, "response block in text/plain"
                    + (top.equals("multipart/alternative") ? " inside multipart/alternative" : "")));
        }

        String digest = best.digest();
        byte[] bytes = Base64Url.decode(digest);
        if (digest.isEmpty() || bytes == null || bytes.length != DIGEST_BYTES) {
            checks.add(Check.fail(FailureCode.DIGEST_SYNTAX, "digest " + Untrusted.quote(digest)
                    + " is not base64url of 32 octets (R9, R11)"));
            return new Outcome(checks, digest, false);
        }
        checks.add(Check.pass(FailureCode.DIGEST_SYNTAX, "digest " + Untrusted.quote(digest)));

        if (!expectations.canCheckDigest() || tokenPart1 == null) {
            return new Outcome(checks, digest, false);
        }
        String expected = KeyAuthorization.digest(tokenPart1, expectations.tokenPart2(), expectations.accountThumbprint());
        if (KeyAuthorization.matches(digest, expected)) {
            checks.add(Check.pass(FailureCode.DIGEST_MISMATCH, "digest matches the key authorization"));
            return new Outcome(checks, digest, false);
        }
        if (leniencies.contains(Leniency.BYTE_CONCATENATION)) {
            String alt;
            try {
                alt = KeyAuthorization.digestByteConcatenation(tokenPart1, expectations.tokenPart2(),
                        expectations.accountThumbprint());
            } catch (IllegalArgumentException e) {
                alt = null;
            }
            if (alt != null && KeyAuthorization.matches(digest, alt)) {
                checks.add(Check.pass(FailureCode.DIGEST_MISMATCH,
                        "digest matches the key authorization under byte concatenation (X2)"));
                return new Outcome(checks, digest, true);
            }
        }
        // the expected value is never shown: it would disclose a hash of the secret key authorization
        checks.add(Check.fail(FailureCode.DIGEST_MISMATCH, "digest " + Untrusted.quote(digest)
                + " does not match the key authorization for token-part1 " + Untrusted.quote(tokenPart1)
                + (leniencies.contains(Leniency.BYTE_CONCATENATION) ? " (string or byte concatenation)" : "")));
        return new Outcome(checks, digest, false);
    }

    private static Scan scan(String text) {
        // lines are visited in place, not split into strings: a response body has dozens of lines
        // and only the block's own are read
        Lines lines = new Lines(text);
        boolean quoted = false;
        while (lines.next()) {
            if (lines.strippedEquals(BEGIN)) {
                StringBuilder digest = new StringBuilder();
                while (lines.next()) {
                    if (lines.strippedEquals(END)) {
                        return new Scan(Found.BLOCK, digest.toString());
                    }
                    for (int k = lines.start; k < lines.end; k++) {
                        char c = text.charAt(k);
                        if (!Character.isWhitespace(c)) {
                            digest.append(c);
                        }
                    }
                    if (digest.length() > 1024) {
                        // far too long for a digest: report it as such instead of hunting for END
                        return new Scan(Found.BLOCK, digest.toString());
                    }
                }
                return new Scan(Found.NO_END, null);
            }
            if (lines.start < lines.end && text.charAt(lines.start) == '>'
                    && text.substring(lines.start, lines.end).replaceFirst("^[>\\s]+", "").equals(BEGIN)) {
                quoted = true;
            }
        }
        return new Scan(quoted ? Found.QUOTED : Found.NONE, null);
    }

    /**
     * The lines of {@code text}, ended by CRLF, LF or CR (X12), as {@code split("\r\n|\n|\r", -1)}
     * gives them; without the regex, which cost a fifth of a whole DKIM-verified inspection.
     */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        Lines lines = new Lines(text);
        while (lines.next()) {
            out.add(text.substring(lines.lineStart, lines.lineEnd));
        }
        return out;
    }

    /**
     * A cursor over the lines of a text as {@link #lines} splits them: {@code lineStart} to
     * {@code lineEnd} is the current line, {@code start} to {@code end} the same with
     * {@link String#strip()}'s white space removed from both ends.
     */
    private static final class Lines {
        private final String text;
        private int next;
        int lineStart;
        int lineEnd;
        int start;
        int end;

        Lines(String text) {
            this.text = text;
        }

        boolean next() {
            int n = text.length();
            if (next > n) {
                return false;
            }
            int i = next;
            while (i < n && text.charAt(i) != '\r' && text.charAt(i) != '\n') {
                i++;
            }
            lineStart = next;
            lineEnd = i;
            if (i == n) {
                next = n + 1;
            } else {
                next = text.charAt(i) == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
            }
            start = lineStart;
            end = lineEnd;
            while (start < end && Character.isWhitespace(text.charAt(start))) {
                start++;
            }
            while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            return true;
        }

        boolean strippedEquals(String s) {
            return end - start == s.length() && text.startsWith(s, start);
        }
    }
}
