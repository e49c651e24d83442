package dev.acmesmime.store;

/**
 * The database failed while the store was running (I/O, lost connection, a constraint the code
 * did not expect). The operation did not take effect unless the method says otherwise; the
 * caller should leave the mail or job where it is and try again later.
 * <p>
 * Expected outcomes are not exceptions: losing a race to claim an answered challenge or an
 * outbox item is a {@code false} or empty result.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
