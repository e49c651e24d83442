package dev.acmesmime.rfc8823;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * Cheap tests for matchers: does a mail look like a challenge or a response, judged on one or
 * two raw header values, or the head of the raw message? They decide where a mail goes, never
 * whether it is valid; the full {@link AcmeMailInspector} does that.
 */
public final class Prefilter {

    /** How much of a raw message {@link #looksLikeResponseBody} reads: a response body is a few lines (R8). */
    public static final int SCANNED_BODY_BYTES = 64 * 1024;
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

    /**
     * A response candidate by its body: the {@code -----BEGIN ACME RESPONSE-----} line (RFC 8823 §3.2,
     * R8) within the first {@value #SCANNED_BODY_BYTES} bytes of the raw message, quoted or not (the
     * inspection tells those apart, R12).
     */
    public static boolean looksLikeResponseBody(InputStream rawMessage) throws IOException {
        String head = new String(rawMessage.readNBytes(SCANNED_BODY_BYTES), StandardCharsets.ISO_8859_1);
        return head.contains(ResponseBody.BEGIN);
    }

    /**
     * A header field body as a reader sees it: unfolded and RFC 2047-decoded, leniently (an unknown
     * charset or a broken encoded word is left as it stands); {@code ""} for {@code null}. For routing
     * and comparison only: the inspection's strict decoding decides validity (C6, C7).
     */
    public static String decode(String raw) {
        if (raw == null) {
            return "";
        }
        String unfolded = raw.replace("\r", "").replace("\n", "");
        try {
            return DecoderUtil.decodeEncodedWords(unfolded, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            // mime4j throws on charset names it cannot load (IllegalCharsetNameException and kin) despite the
            // silent monitor: the raw text is the best reading there is, and the strict inspection fails the
            // mail on its own (charset, subject-syntax), so nothing is let through by this fallback
            return unfolded;
        }
    }
}
