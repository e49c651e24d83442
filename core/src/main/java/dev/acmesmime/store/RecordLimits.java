package dev.acmesmime.store;

/**
 * The widths of the text columns of audit and evidence records, and the one rule for a value that
 * is longer: it is cut to the width, its last kept character replaced by {@code …}, so a reader
 * sees that it was cut. Records are never refused and never lose a field for being long: the
 * evidence of a decision about hostile mail must be kept (S/MIME BR §5.4.1), and the raw mail in the
 * evidence JSON keeps the full value.
 *
 * <p>The record types ({@link AuditRecord.Entry}, {@link EvidenceStore#append}) apply the rule
 * themselves; callers pass values as they are. The one exception is {@link #CODES}: codes come from
 * the plugin's own enums, never from mail, and a cut code would read as another code, so an over-long
 * list is a bug and {@link AuditRecord.Entry#codes} refuses it.
 */
public final class RecordLimits {
    /** An address: 64 octets of local part, {@code @}, 255 of domain (RFC 5321 §4.5.3.1). */
    public static final int ADDRESS = 320;
    /** A domain: 255 octets (RFC 5321 §4.5.3.1.2); an address's domain is stored on its own for per-domain limits. */
    public static final int DOMAIN = 255;
    /** A token (token-part1 and the like); real ones are 22..86 characters. */
    public static final int TOKEN = 255;
    /** A Message-ID: at most one line of a header field (RFC 5322 §2.1.1). */
    public static final int MESSAGE_ID = 998;
    /** An outcome code: a stable code such as a failure code. */
    public static final int OUTCOME = 64;
    /** Every code of one outcome, comma-separated: all codes there are fit several times over. */
    public static final int CODES = 2000;
    /** One line of detail. */
    public static final int DETAIL = 8000;

    private RecordLimits() {
    }

    /** {@code value} if it fits in {@code width} characters, else its first width−1 and {@code …}. */
    public static String shorten(String value, int width) {
        if (value == null || value.length() <= width) {
            return value;
        }
        int end = width - 1;
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--; // never leave half a character behind
        }
        return value.substring(0, end) + "…";
    }
}
