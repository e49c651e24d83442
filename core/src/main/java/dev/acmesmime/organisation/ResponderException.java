package dev.acmesmime.organisation;

/**
 * The responder cannot work as configured (no DKIM key for a mailbox's domain, an unreadable key
 * folder). Never thrown for bad mail: that gets a {@link Decision}.
 */
public class ResponderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ResponderException(String message) {
        super(message);
    }

    public ResponderException(String message, Throwable cause) {
        super(message, cause);
    }
}
