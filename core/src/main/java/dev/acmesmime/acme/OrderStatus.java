package dev.acmesmime.acme;

import java.util.Locale;

/**
 * An order's status (RFC 8555 §7.1.6). A value the CA invents reads as {@link #UNKNOWN}, never as an error.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8555#section-7.1.6">RFC 8555 §7.1.6</a>
 */
public enum OrderStatus {
    /** The challenge is not yet valid. */
    PENDING,
    /** Authorized: finalize it. */
    READY,
    /** Finalized, the certificate is being issued: poll again. */
    PROCESSING,
    /** Issued: the certificate URL is set. */
    VALID,
    /** Failed for good (challenge invalid, expired, or refused at finalization): a new order is needed. */
    INVALID,
    UNKNOWN;

    /** The status named by the order's {@code status} field. */
    public static OrderStatus parse(String value) {
        for (OrderStatus s : values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(value)) {
                return s;
            }
        }
        return UNKNOWN;
    }

    /** Whether polling can change it. */
    public boolean inProgress() {
        return this == PENDING || this == PROCESSING;
    }
}
