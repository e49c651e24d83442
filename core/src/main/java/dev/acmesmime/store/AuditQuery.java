package dev.acmesmime.store;

import java.time.Instant;
import java.util.List;
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

    /**
     * The {@code SELECT} for this query over a table with {@code address}, {@code token} and
     * {@code occurred_at} columns (the audit log and the evidence records share that shape).
     *
     * @param params receives the values for the statement's {@code ?} markers, in order
     */
    String select(String columns, String table, List<Object> params) {
        StringBuilder sql = new StringBuilder("SELECT " + columns + " FROM " + table + " WHERE 1 = 1");
        address.ifPresent(a -> {
            sql.append(" AND address = ?");
            params.add(a);
        });
        token.ifPresent(t -> {
            sql.append(" AND token = ?");
            params.add(t);
        });
        from.ifPresent(f -> {
            sql.append(" AND occurred_at >= ?");
            params.add(f);
        });
        until.ifPresent(u -> {
            sql.append(" AND occurred_at < ?");
            params.add(u);
        });
        return sql.append(" ORDER BY occurred_at, id LIMIT ").append(limit).toString();
    }
}
