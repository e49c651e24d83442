package dev.acmesmime.store;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

final class JdbcResponseOutboxStore implements ResponseOutboxStore {
    static final String TABLE = "acme_smime_response_outbox";
    private static final String COLUMNS = "challenge_url, mailbox, envelope_sender, recipient, response_message_id,"
            + " message, state, attempts, created_at, expires_at, next_attempt_at, last_error, finished_at";
    private static final String PENDING = OutboxState.PENDING.name();
    /** Due as a forward is: pending, its time come, no unexpired lease. */
    private static final String DUE = JdbcOutboxStore.DUE;
    private static final String HELD = " WHERE challenge_url = ? AND state = ? AND lease_owner = ?";

    private final Jdbc jdbc;
    private final Clock clock;
    private final RetryPolicy policy;
    private final String leaseOwner;

    JdbcResponseOutboxStore(Jdbc jdbc, Clock clock, RetryPolicy policy, String leaseOwner) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.policy = policy;
        this.leaseOwner = leaseOwner;
    }

    @Override
    public OutgoingResponse enqueue(OutgoingResponse.Content r) {
        Objects.requireNonNull(r, "response");
        Instant now = Jdbc.truncate(clock.instant());
        jdbc.update("enqueue a response", "INSERT INTO " + TABLE + " (" + COLUMNS + ", lease_owner, lease_until)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
                r.challengeUrl().toString(), r.mailbox(), r.envelopeSender(), r.recipient(), r.responseMessageId(),
                r.message(), PENDING, now, r.expiresAt(), now, Jdbc.Null.TEXT, Jdbc.Null.TIME, leaseOwner,
                now.plus(policy.lease()));
        return new OutgoingResponse(r, OutboxState.PENDING, 1, now, now, Optional.empty(), Optional.empty());
    }

    @Override
    public List<OutgoingResponse> claimDue(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive");
        }
        Instant now = clock.instant();
        Instant leaseUntil = now.plus(policy.lease());
        return jdbc.inConnection("claim due responses", c -> {
            List<String> candidates = Jdbc.query(c, "SELECT challenge_url FROM " + TABLE + " WHERE " + DUE
                    + " ORDER BY next_attempt_at, challenge_url LIMIT " + max, rs -> rs.getString(1), PENDING, now, now);
            List<OutgoingResponse> won = new ArrayList<>();
            for (String url : candidates) {
                // the condition again on the row: of two nodes racing for it, the second matches nothing
                int n = Jdbc.update(c, "UPDATE " + TABLE + " SET lease_owner = ?, lease_until = ?, attempts = attempts + 1"
                        + " WHERE challenge_url = ? AND " + DUE, leaseOwner, leaseUntil, url, PENDING, now, now);
                if (n == 1) {
                    won.addAll(Jdbc.query(c, "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE challenge_url = ?",
                            JdbcResponseOutboxStore::map, url));
                }
            }
            return won;
        });
    }

    @Override
    public boolean markSent(URI challengeUrl) {
        return finish(challengeUrl, OutboxState.DONE, null, ChallengeStatus.ANSWERED);
    }

    @Override
    public boolean fail(URI challengeUrl, String error) {
        return finish(challengeUrl, OutboxState.FAILED, error, ChallengeStatus.EXPIRED);
    }

    /** The row and its challenge together: an answered challenge always has its response handed over. */
    private boolean finish(URI challengeUrl, OutboxState outcome, String error, ChallengeStatus challenge) {
        Instant now = clock.instant();
        return jdbc.inTransaction("finish a response", () -> {
            int n = jdbc.update("finish a response", "UPDATE " + TABLE + " SET state = ?, finished_at = ?,"
                            + " last_error = COALESCE(?, last_error), lease_owner = NULL, lease_until = NULL" + HELD,
                    outcome.name(), now, Jdbc.text(JdbcOutboxStore.oneLine(error)), challengeUrl.toString(), PENDING, leaseOwner);
            if (n == 1) {
                jdbc.update("settle an answering challenge", "UPDATE " + JdbcPendingChallengeStore.TABLE
                                + " SET status = ? WHERE challenge_url = ? AND status = ?",
                        challenge.name(), challengeUrl.toString(), ChallengeStatus.ANSWERING.name());
            }
            return n == 1;
        });
    }

    @Override
    public boolean retryLater(URI challengeUrl, String error) {
        Instant now = clock.instant();
        return jdbc.inConnection("reschedule a response", c -> {
            List<Integer> attempts = Jdbc.query(c, "SELECT attempts FROM " + TABLE + HELD, rs -> rs.getInt(1),
                    challengeUrl.toString(), PENDING, leaseOwner);
            if (attempts.isEmpty()) {
                return false;
            }
            return Jdbc.update(c, "UPDATE " + TABLE + " SET next_attempt_at = ?, last_error = ?, lease_owner = NULL,"
                            + " lease_until = NULL" + HELD, now.plus(policy.delayAfter(attempts.get(0))),
                    Jdbc.text(JdbcOutboxStore.oneLine(error)), challengeUrl.toString(), PENDING, leaseOwner) == 1;
        });
    }

    @Override
    public Optional<OutgoingResponse> find(URI challengeUrl) {
        return jdbc.queryOne("find a response", "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE challenge_url = ?",
                JdbcResponseOutboxStore::map, challengeUrl.toString());
    }

    @Override
    public int purgeFinishedBefore(Instant cutoff) {
        return jdbc.update("purge finished responses", "DELETE FROM " + TABLE + " WHERE state <> ? AND finished_at < ?",
                PENDING, cutoff);
    }

    @Override
    public long countWaiting() {
        return jdbc.queryOne("count waiting responses", "SELECT COUNT(*) FROM " + TABLE + " WHERE state = ?",
                rs -> rs.getLong(1), PENDING).orElse(0L);
    }


    private static OutgoingResponse map(ResultSet rs) throws SQLException {
        OutgoingResponse.Content content = new OutgoingResponse.Content(URI.create(rs.getString("challenge_url")),
                rs.getString("mailbox"), rs.getString("envelope_sender"), rs.getString("recipient"),
                rs.getString("response_message_id"), rs.getBytes("message"), Jdbc.instant(rs, "expires_at"));
        return new OutgoingResponse(content, OutboxState.valueOf(rs.getString("state")), rs.getInt("attempts"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "next_attempt_at"),
                Optional.ofNullable(rs.getString("last_error")), Optional.ofNullable(Jdbc.instant(rs, "finished_at")));
    }
}
