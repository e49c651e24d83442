package dev.acmesmime.rfc8823;

import java.util.Locale;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * Cheap tests for matchers: does a mail look like a challenge or a response, judged on one or
 * two raw header values only? They decide where a mail goes, never whether it is valid; the
 * full {@link AcmeMailInspector} does that.
 */
public final class Prefilter {

    private static final String LABEL = "ACME:";

    private Prefilter() {
    }

    /**
     * A challenge candidate: {@code ACME:} with no reply prefix in the decoded Subject, or an
     * {@code Auto-Submitted: auto-generated} field.
     *
     * @param rawSubject       the Subject field body as received (may be folded or encoded), or {@code null}
     * @param rawAutoSubmitted the Auto-Submitted field body, or {@code null}
     */
    public static boolean looksLikeChallenge(String rawSubject, String rawAutoSubmitted) {
        if (rawAutoSubmitted != null
                && rawAutoSubmitted.trim().toLowerCase(Locale.ROOT).startsWith("auto-generated")) {
            return true;
        }
        String subject = decode(rawSubject);
        int at = subject.indexOf(LABEL);
        return at >= 0 && subject.substring(0, at).isBlank();
    }

    /** A response candidate: {@code ACME:} anywhere in the decoded Subject. */
    public static boolean looksLikeResponseSubject(String rawSubject) {
        return decode(rawSubject).contains(LABEL);
    }

    static String decode(String raw) {
        if (raw == null) {
            return "";
        }
        String unfolded = raw.replace("\r", "").replace("\n", "");
        try {
            return DecoderUtil.decodeEncodedWords(unfolded, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return unfolded;
        }
    }
}
