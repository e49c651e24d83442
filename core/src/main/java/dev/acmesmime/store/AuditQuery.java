package dev.acmesmime.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Which audit records to return: all conditions given must hold. Build with {@link #builder()}.
 *
 * @param address  only records for this address
 * @param token    only records for this token
 * @param from     only records at or after this instant
 * @param until    only records before this instant
 * @param limit    at most this many records, oldest first
 */
public record AuditQuery(Optional<String> address, Optional<String> token, Optional<Instant> from,
                         Optional<Instant> until, int limit) {

    public static final int DEFAULT_LIMIT = 1000;

    public AuditQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String address;
        private String token;
        private Instant from;
        private Instant until;
        private int limit = DEFAULT_LIMIT;

        private Builder() {
        }

        public Builder address(String address) {
            this.address = address;
            return this;
        }

        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** Inclusive. */
        public Builder from(Instant from) {
            this.from = from;
            return this;
        }

        /** Exclusive. */
        public Builder until(Instant until) {
            this.until = until;
            return this;
        }

        public Builder limit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be positive");
            }
            this.limit = limit;
            return this;
        }

        public AuditQuery build() {
            return new AuditQuery(Optional.ofNullable(address), Optional.ofNullable(token), Optional.ofNullable(from),
                    Optional.ofNullable(until), limit);
        }
    }
}
