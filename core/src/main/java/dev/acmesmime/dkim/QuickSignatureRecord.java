package dev.acmesmime.dkim;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.james.jdkim.tagvalue.SignatureRecordImpl;

/**
 * jDKIM's signature record ({@link SignatureRecordImpl}) with its regex work done by hand and its
 * repeated work done once. jDKIM 0.3 matches a regex over every tag value when it parses the
 * field, one per {@code h=} name each time {@code getHeaders()} is called (three times per
 * verification), and one over the whole field to blank {@code b=}; it also validates twice and
 * decodes base64 through an 8 KB buffer. That was a third of the verifier's own time.
 * <p>
 * Every shortcut accepts only what jDKIM's own code accepts and gives what it gives (tests hold
 * both side by side); whatever a shortcut cannot vouch for goes to jDKIM's code, so rejections
 * keep jDKIM's exceptions and messages. Tag parsing is not canonicalisation: the header and body
 * canonicalisation, hashing and the RSA check stay jDKIM's.
 */
final class QuickSignatureRecord extends SignatureRecordImpl {

    /** The field value as given, when the quick parse read it; {@code null} otherwise. */
    private String text;
    private boolean valid;
    private List<CharSequence> headers;
    private CharSequence identity;

    QuickSignatureRecord(String data) {
        super(data);
    }

    /** Called by jDKIM's constructor, before this class's fields are initialised. */
    @Override
    protected void parse(String data) {
        List<String[]> tags = quickTags(data);
        if (tags == null) {
            super.parse(data);
            return;
        }
        for (String[] t : tags) {
            super.setValue(t[0], t[1]);
        }
        text = data;
    }

    /**
     * jDKIM's tag-list loop ({@code TagValue.parse}) with its own FWS trimming, and the tag-name
     * and tag-value regexes as character checks; {@code null} when a check fails (or anything
     * throws), so that jDKIM's code runs and reports it.
     */
    private List<String[]> quickTags(String data) {
        try {
            List<String[]> out = new ArrayList<>(16);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < data.length(); i++) {
                int equal = data.indexOf('=', i);
                if (equal == -1) {
                    String rest = data.substring(i);
                    if (rest.length() > 0 && trimFWS(rest, 0, rest.length() - 1, true).length() > 0) {
                        return null;
                    }
                    i = data.length();
                    continue;
                }
                int next = data.indexOf(';', i);
                if (next == -1) {
                    next = data.length();
                }
                if (equal > next) {
                    return null;
                }
                String tag = trimFWS(data, i, equal - 1, true).toString();
                if (!SignatureTags.isTagName(tag) || !seen.add(tag)) {
                    return null;
                }
                CharSequence value = trimFWS(data, equal + 1, next - 1, true);
                if (!isTagValue(value)) {
                    return null;
                }
                out.add(new String[] {tag, value.toString()});
                i = next;
            }
            return out;
        } catch (RuntimeException e) {
            // a fast path only: whatever it did not foresee (an index past the end of a cut record) goes to
            // jDKIM's own parser, which accepts or refuses the record exactly as without this class
            return null;
        }
    }

    /**
     * jDKIM's tag-value regex {@code (?:T(?:S T)*)?} with T = {@code [^; \t\r\n]+} and
     * S = {@code ((\r\n)?[\t ])+}: runs of value characters separated by folding white space.
     */
    static boolean isTagValue(CharSequence v) {
        int n = v.length();
        int i = 0;
        if (n == 0) {
            return true;
        }
        while (true) {
            int start = i;
            while (i < n && isValueChar(v.charAt(i))) {
                i++;
            }
            if (i == start) {
                return false;
            }
            if (i == n) {
                return true;
            }
            int units = 0;
            while (i < n) {
                char c = v.charAt(i);
                if (c == ' ' || c == '\t') {
                    i++;
                } else if (c == '\r' && i + 2 < n && v.charAt(i + 1) == '\n' && (v.charAt(i + 2) == ' ' || v.charAt(i + 2) == '\t')) {
                    i += 3;
                } else {
                    break;
                }
                units++;
            }
            if (units == 0) {
                return false;
            }
        }
    }

    private static boolean isValueChar(char c) {
        return c != ';' && c != ' ' && c != '\t' && c != '\r' && c != '\n';
    }

    @Override
    protected void setValue(String tag, String value) {
        text = null;
        identity = null;
        super.setValue(tag, value);
    }

    /** Once: jDKIM decodes i= (DKIM quoted-printable) three times per verification. */
    @Override
    public CharSequence getIdentity() {
        if (identity == null) {
            identity = super.getIdentity();
        }
        return identity;
    }

    /** The field value as given, as jDKIM's parse would have kept it. */
    @Override
    public String toString() {
        return text != null ? text : super.toString();
    }

    /** jDKIM's {@code toString().replaceFirst("b=[^;]*", "b=")}, without compiling the regex. */
    @Override
    public String toUnsignedString() {
        String s = toString();
        int b = s.indexOf("b=");
        if (b < 0) {
            return s;
        }
        int end = s.indexOf(';', b + 2);
        return s.substring(0, b + 2) + (end < 0 ? "" : s.substring(end));
    }

    /** Once: jDKIM calls it twice per verification. A failure is not kept. */
    @Override
    public void validate() {
        if (!valid) {
            super.validate();
            valid = true;
        }
    }

    /**
     * jDKIM's {@code h=} split ({@code TagValue.stringToColonSeparatedList}) with its name regex
     * {@code [^: \r\n\t]+} as a character check, done once; anything else goes to jDKIM's code.
     */
    @Override
    public List<CharSequence> getHeaders() {
        if (headers == null) {
            List<CharSequence> quick = quickHeaders();
            headers = Collections.unmodifiableList(quick != null ? quick : super.getHeaders());
        }
        return headers;
    }

    private List<CharSequence> quickHeaders() {
        try {
            String h = getValue("h").toString();
            List<CharSequence> names = new ArrayList<>();
            for (int i = 0; i < h.length(); i++) {
                int p = h.indexOf(':', i);
                if (p == -1) {
                    p = h.length();
                }
                CharSequence name = trimFWS(h, i, p - 1, false);
                if (!isHeaderName(name)) {
                    return null;
                }
                names.add(name);
                i = p;
            }
            return names;
        } catch (RuntimeException e) {
            // no h= at all (null) or a surprise in the split: jDKIM's own split then runs and reports it as it
            // always did, so this shortcut can never make a signature pass that jDKIM would refuse (D2, D11)
            return null;
        }
    }

    private static boolean isHeaderName(CharSequence name) {
        if (name.length() == 0) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ':' || c == ' ' || c == '\r' || c == '\n' || c == '\t') {
                return false;
            }
        }
        return true;
    }

    @Override
    public byte[] getSignature() {
        return decode("b", super::getSignature);
    }

    @Override
    public byte[] getBodyHash() {
        return decode("bh", super::getBodyHash);
    }

    /**
     * The tag's base64 value decoded by the JDK, which gives the same octets as jDKIM's decoder
     * (it skips white space, as FWS removal does) without the 8 KB buffer that decoder allocates
     * per call; a value the JDK's strict decoder refuses goes to jDKIM's.
     */
    private byte[] decode(String tag, Supplier<byte[]> jdkim) {
        CharSequence v = getValue(tag);
        if (v != null) {
            try {
                return Base64.getDecoder().decode(SignatureTags.withoutFws(v.toString()));
            } catch (IllegalArgumentException e) {
                // not strict base64: jDKIM's lenient decoder decides
            }
        }
        return jdkim.get();
    }
}
