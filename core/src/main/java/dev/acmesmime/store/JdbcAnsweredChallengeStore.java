package dev.acmesmime.store;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

final class JdbcAnsweredChallengeStore implements AnsweredChallengeStore {
    static final String TABLE = "acme_smime_answered_challenge";

    private final Jdbc jdbc;
    private final Clock clock;
    private final String nodeName;

    JdbcAnsweredChallengeStore(Jdbc jdbc, Clock clock, String nodeName) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.nodeName = nodeName;
    }

    @Override
    public boolean claim(String challengeMessageId, String tokenPart1, String mailbox) {
        Objects.requireNonNull(challengeMessageId, "challengeMessageId");
        Objects.requireNonNull(tokenPart1, "tokenPart1");
        Objects.requireNonNull(mailbox, "mailbox");
        return jdbc.inConnection("claim an answered challenge", c -> {
            try {
                // The primary key decides: the database lets exactly one INSERT of the key commit,
                // on any number of nodes, and reports 23505 to every other.
                Jdbc.update(c, "INSERT INTO " + TABLE + " (message_id, token_part1, mailbox, claimed_at, claimed_by)"
                        + " VALUES (?, ?, ?, ?, ?)", challengeMessageId, tokenPart1, mailbox, clock.instant(), nodeName);
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
    public Optional<AnsweredChallenge> find(String challengeMessageId, String tokenPart1) {
        return jdbc.queryOne("find an answered challenge", "SELECT message_id, token_part1, mailbox, claimed_at,"
                        + " claimed_by FROM " + TABLE + " WHERE message_id = ? AND token_part1 = ?",
                rs -> new AnsweredChallenge(rs.getString(1), rs.getString(2), rs.getString(3),
                        Jdbc.instant(rs, "claimed_at"), rs.getString(5)),
                challengeMessageId, tokenPart1);
    }

    @Override
    public int purgeClaimedBefore(Instant cutoff) {
        return jdbc.update("purge answered challenges", "DELETE FROM " + TABLE + " WHERE claimed_at < ?", cutoff);
    }
}
