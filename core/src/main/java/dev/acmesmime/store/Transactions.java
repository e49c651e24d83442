package dev.acmesmime.store;

import java.util.function.Supplier;

/**
 * Runs several store calls as one database transaction: one commit instead of one per call, and
 * all or nothing. Implemented by {@link AcmeSmimeStore} for the stores it hands out.
 */
public interface Transactions {

    /** Runs the work directly, each store call committing on its own (for stores without transactions). */
    Transactions NONE = new Transactions() {
        @Override
        public <T> T inTransaction(Supplier<T> work) {
            return work.get();
        }
    };

    /**
     * Runs {@code work} on this thread inside one transaction; store calls made by it join the
     * transaction, which commits when it returns and rolls back when it throws. Nested calls join
     * the outer transaction.
     */
    <T> T inTransaction(Supplier<T> work);
}
