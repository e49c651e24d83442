package dev.acmesmime.store;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

final class JdbcPendingChallengeStore implements PendingChallengeStore {
    static final String TABLE = "acme_smime_pending_challenge";
    private static final String COLUMNS = "challenge_url, mailbox, challenge_from, token_part2, account_thumbprint,"
            + " created_at, expires_at, status, answered_at, response_message_id";

    private final Jdbc jdbc;
    private final SecretCipher cipher;
    private final Clock clock;

    JdbcPendingChallengeStore(Jdbc jdbc, SecretCipher cipher, Clock clock) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.clock = clock;
    }

    private static byte[] aad(URI url) {
        return SecretCipher.aad(TABLE, "token_part2", url.toString());
    }

    @Override
    public boolean register(PendingChallenge.Registration r) {
        byte[] sealed = cipher.seal(r.tokenPart2().getBytes(StandardCharsets.UTF_8), aad(r.challengeUrl()));
        return jdbc.inConnection("register a pending challenge", c -> {
            try {
                Jdbc.update(c, "INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        r.challengeUrl().toString(), r.mailbox(), r.challengeFrom(), sealed, r.accountThumbprint(),
                        clock.instant(), r.expiresAt(), ChallengeStatus.PENDING.name(), Jdbc.Null.TIME, Jdbc.Null.TEXT);
                return true;
            } catch (SQLException e) {
                if (Jdbc.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<PendingChallenge> find(URI challengeUrl) {
        return jdbc.queryOne("find a pending challenge", "SELECT " + COLUMNS + " FROM " + TABLE
                + " WHERE challenge_url = ?", this::map, challengeUrl.toString());
    }

    @Override
    public List<PendingChallenge> findAnswerable(String mailbox) {
        return jdbc.query("find answerable challenges", "SELECT " + COLUMNS + " FROM " + TABLE
                        + " WHERE mailbox = ? AND status = ? AND expires_at > ? ORDER BY created_at, challenge_url",
                this::map, mailbox, ChallengeStatus.PENDING.name(), clock.instant());
    }

    @Override
    public List<PendingChallenge> findByMailbox(String mailbox, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return jdbc.query("find challenges by mailbox", "SELECT " + COLUMNS + " FROM " + TABLE
                + " WHERE mailbox = ? ORDER BY created_at DESC, challenge_url LIMIT " + limit, this::map, mailbox);
    }

    @Override
    public int countPending() {
        // served by index acme_smime_pending_challenge_status_expiry (V004): read on every scrape
        return jdbc.queryOne("count pending challenges", "SELECT COUNT(*) FROM " + TABLE
                        + " WHERE status = ? AND expires_at > ?", rs -> rs.getInt(1),
                ChallengeStatus.PENDING.name(), clock.instant()).orElse(0);
    }

    @Override
    public int countAnsweredSince(String mailbox, Instant since) {
        return jdbc.queryOne("count answered challenges of a mailbox", "SELECT COUNT(*) FROM " + TABLE
                        + " WHERE mailbox = ? AND status IN (?, ?) AND answered_at >= ?", rs -> rs.getInt(1),
                mailbox, ChallengeStatus.ANSWERING.name(), ChallengeStatus.ANSWERED.name(), since).orElse(0);
    }

    @Override
    public int countAnsweredFromDomainSince(String domain, Instant since) {
        String pattern = "%@" + domain.toLowerCase(Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        // No index serves a suffix match; the table holds one row per certificate order, and
        // answered_at narrows it first where the planner can.
        return jdbc.queryOne("count answered challenges of a CA domain", "SELECT COUNT(*) FROM " + TABLE
                        + " WHERE status IN (?, ?) AND answered_at >= ? AND LOWER(challenge_from) LIKE ? ESCAPE '\\'",
                rs -> rs.getInt(1), ChallengeStatus.ANSWERING.name(), ChallengeStatus.ANSWERED.name(), since, pattern)
                .orElse(0);
    }

    @Override
    public boolean markAnswering(URI challengeUrl, String responseMessageId) {
        return leavePending(challengeUrl, responseMessageId, ChallengeStatus.ANSWERING);
    }

    @Override
    public boolean markAnswered(URI challengeUrl, String responseMessageId) {
        return leavePending(challengeUrl, responseMessageId, ChallengeStatus.ANSWERED);
    }

    /** answered_at is the claim's time in both: rate limits count a response from when it was decided. */
    private boolean leavePending(URI challengeUrl, String responseMessageId, ChallengeStatus to) {
        Objects.requireNonNull(challengeUrl, "challengeUrl");
        Objects.requireNonNull(responseMessageId, "responseMessageId");
        Instant now = clock.instant();
        return jdbc.update("mark a challenge " + to.name().toLowerCase(Locale.ROOT), "UPDATE " + TABLE
                        + " SET status = ?, answered_at = ?, response_message_id = ?"
                        + " WHERE challenge_url = ? AND status = ? AND expires_at > ?",
                to.name(), now, responseMessageId, challengeUrl.toString(),
                ChallengeStatus.PENDING.name(), now) == 1;
    }

    @Override
    public int expireOverdue() {
        return jdbc.update("expire overdue challenges", "UPDATE " + TABLE + " SET status = ?"
                        + " WHERE status = ? AND expires_at <= ?",
                ChallengeStatus.EXPIRED.name(), ChallengeStatus.PENDING.name(), clock.instant());
    }

    private PendingChallenge map(ResultSet rs) throws SQLException {
        URI url = URI.create(rs.getString("challenge_url"));
        String token;
        try {
            token = new String(cipher.open(rs.getBytes("token_part2"), aad(url)), StandardCharsets.UTF_8);
        } catch (SecretCipher.SealedValueException e) {
            throw new SQLException("cannot decrypt token_part2 of challenge " + url + ": " + e.getMessage(), e);
        }
        return new PendingChallenge(url, rs.getString("mailbox"), rs.getString("challenge_from"), token,
                rs.getString("account_thumbprint"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "expires_at"),
                ChallengeStatus.valueOf(rs.getString("status")), Optional.ofNullable(Jdbc.instant(rs, "answered_at")),
                Optional.ofNullable(rs.getString("response_message_id")));
    }
}
