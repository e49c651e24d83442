package dev.acmesmime.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

final class JdbcIssuedChallengeStore implements IssuedChallengeStore {
    static final String TABLE = "acme_smime_issued_challenge";
    private static final String COLUMNS = "message_id, token_part1, identifier, response_address, tag, created_at,"
            + " expires_at, consumed_at, consumed_digest, validation_id, outbox_id";

    private final Jdbc jdbc;
    private final Clock clock;

    JdbcIssuedChallengeStore(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public boolean record(IssuedChallenge c) {
        Objects.requireNonNull(c, "challenge");
        String domain = domainOf(c.identifier());
        return jdbc.inConnection("record an issued challenge", conn -> Jdbc.insertUnlessDuplicate(conn,
                "INSERT INTO " + TABLE + " (message_id, token_part1, identifier, identifier_domain,"
                        + " response_address, tag, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                c.messageId(), c.tokenPart1(), c.identifier(), domain, c.responseAddress(),
                Jdbc.text(c.tag().orElse(null)), Jdbc.truncate(c.createdAt()), Jdbc.truncate(c.expiresAt())));
    }

    @Override
    public Optional<IssuedChallenge> find(String messageId) {
        return jdbc.queryOne("find an issued challenge", "SELECT " + COLUMNS + " FROM " + TABLE
                + " WHERE message_id = ?", JdbcIssuedChallengeStore::map, messageId);
    }

    @Override
    public List<IssuedChallenge> findByToken(String tokenPart1) {
        return jdbc.query("find issued challenges by token", "SELECT " + COLUMNS + " FROM " + TABLE
                + " WHERE token_part1 = ? ORDER BY created_at DESC LIMIT 10", JdbcIssuedChallengeStore::map, tokenPart1);
    }

    @Override
    public List<IssuedChallenge> findByTag(String tag) {
        return jdbc.query("find issued challenges by tag", "SELECT " + COLUMNS + " FROM " + TABLE
                + " WHERE tag = ? ORDER BY created_at DESC LIMIT 10", JdbcIssuedChallengeStore::map, tag);
    }

    @Override
    public Consumption consume(String messageId, String digest, String validationId) {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(validationId, "validationId");
        return jdbc.inConnection("consume an issued challenge", c -> {
            int n = Jdbc.update(c, "UPDATE " + TABLE + " SET consumed_at = ?, consumed_digest = ?, validation_id = ?"
                    + " WHERE message_id = ? AND consumed_at IS NULL", clock.instant(), digest, validationId, messageId);
            if (n == 1) {
                return Consumption.FIRST;
            }
            List<String> prior = Jdbc.query(c, "SELECT consumed_digest FROM " + TABLE + " WHERE message_id = ?",
                    rs -> rs.getString(1), messageId);
            if (prior.isEmpty()) {
                return Consumption.UNKNOWN;
            }
            return strip(digest).equals(strip(prior.get(0))) ? Consumption.DUPLICATE : Consumption.ALREADY_USED;
        });
    }

    private static String strip(String digest) {
        String d = digest == null ? "" : digest;
        while (d.endsWith("=")) {
            d = d.substring(0, d.length() - 1);
        }
        return d;
    }

    @Override
    public boolean attachOutbox(String messageId, long outboxId) {
        return jdbc.update("link a forward to its challenge", "UPDATE " + TABLE + " SET outbox_id = ?"
                + " WHERE message_id = ? AND outbox_id IS NULL", outboxId, messageId) == 1;
    }

    @Override
    public void lockDomain(String domain) {
        jdbc.lockUntilCommit("lock a domain for issuing", "issue:" + domain.toLowerCase(Locale.ROOT));
    }

    @Override
    public int countForIdentifierSince(String identifier, Instant since) {
        return jdbc.queryOne("count challenges per recipient", "SELECT COUNT(*) FROM " + TABLE
                + " WHERE identifier = ? AND created_at >= ?", rs -> rs.getInt(1), identifier, since).orElse(0);
    }

    @Override
    public int countForDomainSince(String domain, Instant since) {
        return jdbc.queryOne("count challenges per domain", "SELECT COUNT(*) FROM " + TABLE
                        + " WHERE identifier_domain = ? AND created_at >= ?", rs -> rs.getInt(1),
                domain.toLowerCase(Locale.ROOT), since).orElse(0);
    }

    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return (at < 0 ? "" : address.substring(at + 1)).toLowerCase(Locale.ROOT);
    }

    private static IssuedChallenge map(ResultSet rs) throws SQLException {
        long outbox = rs.getLong("outbox_id");
        Optional<Long> outboxId = rs.wasNull() ? Optional.empty() : Optional.of(outbox);
        return new IssuedChallenge(rs.getString("message_id"), rs.getString("token_part1"), rs.getString("identifier"),
                rs.getString("response_address"), Optional.ofNullable(rs.getString("tag")),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "expires_at"),
                Optional.ofNullable(Jdbc.instant(rs, "consumed_at")),
                Optional.ofNullable(rs.getString("consumed_digest")), Optional.ofNullable(rs.getString("validation_id")),
                outboxId);
    }
}
