package dev.acmesmime.dkim;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The tags of one DKIM-Signature field, read strictly (RFC 6376 §3.2, §3.5) and independently of
 * jDKIM, because the policy needs values jDKIM 0.3 does not expose safely ({@code h=} as
 * written, {@code l=} beyond {@code int}, duplicate tags) and because a malformed field must give
 * a reason, never an exception.
 *
 * @param tags tag name to value, FWS removed from both ends of each value, in field order
 */
record SignatureTags(Map<String, String> tags) {

    /** Longest {@code h=} list accepted; real signers name a few dozen fields. */
    static final int MAX_SIGNED_FIELDS = 256;
    /** Longest DKIM-Signature field accepted, in characters. */
    static final int MAX_FIELD_LENGTH = 16 * 1024;

    // The syntax checks below are character loops, not regexes: they run on every signature of
    // every mail, and as regexes they were a sixth of a whole DKIM-verified inspection.
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,76}");

    /** Why a field could not be read; the message is one line and quotes nothing from the mail. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    static SignatureTags parse(String value) throws Malformed {
        if (value.length() > MAX_FIELD_LENGTH) {
            throw new Malformed("DKIM-Signature field is " + value.length() + " characters long, over the limit of "
                    + MAX_FIELD_LENGTH);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        // the tag-specs between semicolons, read in place rather than split into copies
        for (int start = 0; start <= value.length(); ) {
            int end = value.indexOf(';', start);
            if (end < 0) {
                end = value.length();
            }
            if (!isBlank(value, start, end)) {
                int eq = value.indexOf('=', start);
                if (eq < 0 || eq >= end) {
                    throw new Malformed("tag-spec without '='");
                }
                String name = value.substring(start, eq).strip();
                if (!isTagName(name)) {
                    throw new Malformed("invalid tag name");
                }
                if (tags.containsKey(name)) {
                    throw new Malformed("duplicate tag " + name + "= (RFC 6376 §3.2)");
                }
                tags.put(name, value.substring(eq + 1, end).strip());
            }
            start = end + 1;
        }
        return new SignatureTags(Collections.unmodifiableMap(tags));
    }

    /** {@link String#isBlank()} of {@code s.substring(from, to)}. */
    private static boolean isBlank(String s, int from, int to) {
        for (int i = from; i < to; ) {
            int cp = s.codePointAt(i);
            if (!Character.isWhitespace(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    Optional<String> get(String tag) {
        return Optional.ofNullable(tags.get(tag));
    }

    /** The value with all folding white space removed, or empty when the tag is absent. */
    String compact(String tag) {
        String v = tags.get(tag);
        return v == null ? "" : withoutFws(v);
    }

    String domain() {
        return compact("d").toLowerCase(Locale.ROOT);
    }

    String selector() {
        return compact("s");
    }

    String algorithm() {
        return compact("a").toLowerCase(Locale.ROOT);
    }

    /** The {@code h=} names as written, surrounding FWS removed. */
    List<String> signedFields() throws Malformed {
        String h = tags.get("h");
        if (h == null || h.isBlank()) {
            throw new Malformed("h= is missing or empty");
        }
        List<String> names = new ArrayList<>();
        for (String n : h.split(":", -1)) {
            if (names.size() >= MAX_SIGNED_FIELDS) {
                throw new Malformed("h= names more than " + MAX_SIGNED_FIELDS + " fields");
            }
            String name = withoutFws(n);
            if (!isFieldName(name)) {
                throw new Malformed("h= contains an invalid field name");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** {@code l=} as a number, or empty when absent. */
    Optional<BigInteger> bodyLength() throws Malformed {
        if (!tags.containsKey("l")) {
            return Optional.empty();
        }
        String l = compact("l");
        if (!DIGITS.matcher(l).matches()) {
            throw new Malformed("l= is not 1 to 76 digits (RFC 6376 §3.5)");
        }
        return Optional.of(new BigInteger(l));
    }

    /**
     * Checks what RFC 6376 §6.1.1 makes a PERMFAIL before any DNS lookup: required tags, version,
     * base64 syntax of {@code b=}/{@code bh=}, and an {@code i=} within {@code d=}.
     *
     * @param signedFieldsProblem what {@link #signedFields()} threw, or {@code null} if it
     *                            succeeded: the caller has read {@code h=} already
     */
    void validate(Malformed signedFieldsProblem) throws Malformed {
        for (String t : List.of("v", "a", "b", "bh", "d", "h", "s")) {
            if (!tags.containsKey(t)) {
                throw new Malformed("required tag " + t + "= is missing (RFC 6376 §6.1.1)");
            }
        }
        if (!"1".equals(compact("v"))) {
            throw new Malformed("v= is not 1");
        }
        for (String t : List.of("b", "bh")) {
            if (!isBase64Value(tags.get(t))) {
                throw new Malformed(t + "= is not base64");
            }
        }
        if (domain().isEmpty() || selector().isEmpty()) {
            throw new Malformed("d= or s= is empty");
        }
        if (signedFieldsProblem != null) {
            throw signedFieldsProblem;
        }
        bodyLength();
        Optional<String> i = get("i");
        if (i.isPresent()) {
            String auid = withoutFws(i.get());
            int at = auid.lastIndexOf('@');
            String iDomain = at < 0 ? "" : auid.substring(at + 1).toLowerCase(Locale.ROOT);
            String d = domain();
            if (!iDomain.equals(d) && !iDomain.endsWith("." + d)) {
                throw new Malformed("i= domain is not d= or a subdomain of it (RFC 6376 §6.1.1)");
            }
        }
    }

    private static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** {@code v} without SP, HTAB, CR and LF. */
    static String withoutFws(String v) {
        int i = 0;
        while (i < v.length() && !isFws(v.charAt(i))) {
            i++;
        }
        if (i == v.length()) {
            return v;
        }
        // copied run by run: b= is hundreds of characters folded every line or so
        StringBuilder sb = new StringBuilder(v.length());
        int run = 0;
        for (; i < v.length(); i++) {
            if (isFws(v.charAt(i))) {
                sb.append(v, run, i);
                run = i + 1;
            }
        }
        return sb.append(v, run, v.length()).toString();
    }

    /** RFC 6376 §3.2 tag-name: ALPHA *ALNUMPUNC (ALNUMPUNC = ALPHA / DIGIT / "_"). */
    static boolean isTagName(String name) {
        if (name.isEmpty() || !isAlpha(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    /** RFC 5322 §3.6.8 field-name: 1*ftext, printable ASCII except ':'. */
    static boolean isFieldName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x21 || c > 0x7e || c == ':') {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code v} without FWS is base64 in whole 4-character units, '=' only as the last one
     * or two: exactly what the JDK's strict decoder accepts, so no trial decoding is needed. Read
     * in place, since b= is hundreds of characters.
     */
    static boolean isBase64Value(String v) {
        int length = 0;
        int pad = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (isFws(c)) {
                continue;
            }
            if (c == '=') {
                if (++pad > 2) {
                    return false;
                }
            } else if (pad > 0 || !isBase64Char(c)) {
                return false;
            }
            length++;
        }
        return length > 0 && length % 4 == 0;
    }

    private static boolean isBase64Char(char c) {
        return isAlpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    private static boolean isAlpha(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}
