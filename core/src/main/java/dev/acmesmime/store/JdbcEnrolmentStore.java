package dev.acmesmime.store;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcEnrolmentStore implements EnrolmentStore {
    static final String TABLE = "acme_smime_enrolment";
    private static final String COLUMNS = "mailbox, state, account_url, order_url, certificate_pem,"
            + " certificate_not_after, private_key, last_error, updated_at";

    private final Jdbc jdbc;
    private final SecretCipher cipher;
    private final Clock clock;

    JdbcEnrolmentStore(Jdbc jdbc, SecretCipher cipher, Clock clock) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.clock = clock;
    }

    private static byte[] aad(String mailbox) {
        return SecretCipher.aad(TABLE, "private_key", mailbox);
    }

    @Override
    public Optional<Enrolment> find(String mailbox) {
        return jdbc.queryOne("find an enrolment", "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE mailbox = ?",
                this::map, mailbox);
    }

    @Override
    public Enrolment save(Enrolment e) {
        if (e.state() == EnrolmentState.UNKNOWN) {
            throw new IllegalArgumentException("state UNKNOWN is read-only");
        }
        if (e.mailbox().length() > RecordLimits.ADDRESS) {
            // a key, not a record field: shortening would merge two mailboxes
            throw new IllegalArgumentException("mailbox longer than " + RecordLimits.ADDRESS + " characters");
        }
        Instant now = Jdbc.truncate(clock.instant());
        byte[] sealed = e.privateKey().map(k -> cipher.seal(k.bytes(), aad(e.mailbox()))).orElse(null);
        Object[] values = {e.state().name(), Jdbc.text(e.accountUrl().map(URI::toString).orElse(null)),
            Jdbc.text(e.orderUrl().map(URI::toString).orElse(null)), Jdbc.text(e.certificatePem().orElse(null)),
            Jdbc.time(e.certificateNotAfter().orElse(null)), Jdbc.bytes(sealed), Jdbc.text(e.lastError().orElse(null)),
            now, e.mailbox()};
        jdbc.inConnection("save an enrolment", c -> {
            // UPDATE first, INSERT if absent; an INSERT that loses a race to another node's INSERT
            // (23505) falls back to the UPDATE. Portable where MERGE/ON CONFLICT are not.
            for (int round = 0; round < 2; round++) {
                if (update(c, values) == 1) {
                    return null;
                }
                try {
                    Jdbc.update(c, "INSERT INTO " + TABLE + " (state, account_url, order_url, certificate_pem,"
                            + " certificate_not_after, private_key, last_error, updated_at, mailbox)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values);
                    return null;
                } catch (SQLException ex) {
                    if (!Jdbc.isUniqueViolation(ex)) {
                        throw ex;
                    }
                }
            }
            throw new SQLException("enrolment of " + e.mailbox() + " changed concurrently twice");
        });
        return new Enrolment(e.mailbox(), e.state(), e.accountUrl(), e.orderUrl(), e.certificatePem(),
                e.certificateNotAfter().map(Jdbc::truncate), e.privateKey(), e.lastError(), now);
    }

    private static int update(Connection c, Object[] values) throws SQLException {
        return Jdbc.update(c, "UPDATE " + TABLE + " SET state = ?, account_url = ?, order_url = ?,"
                + " certificate_pem = ?, certificate_not_after = ?, private_key = ?, last_error = ?, updated_at = ?"
                + " WHERE mailbox = ?", values);
    }

    @Override
    public List<Enrolment> listByState(EnrolmentState state) {
        return jdbc.query("list enrolments", "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE state = ? ORDER BY mailbox",
                this::map, state.name());
    }

    @Override
    public boolean delete(String mailbox) {
        return jdbc.update("delete an enrolment", "DELETE FROM " + TABLE + " WHERE mailbox = ?", mailbox) == 1;
    }

    private Enrolment map(ResultSet rs) throws SQLException {
        String mailbox = rs.getString("mailbox");
        byte[] sealed = rs.getBytes("private_key");
        Optional<SecretBytes> key = Optional.empty();
        if (sealed != null) {
            try {
                key = Optional.of(SecretBytes.of(cipher.open(sealed, aad(mailbox))));
            } catch (SecretCipher.SealedValueException ex) {
                throw new SQLException("cannot decrypt the private key of " + mailbox + ": " + ex.getMessage(), ex);
            }
        }
        String account = rs.getString("account_url");
        String order = rs.getString("order_url");
        return new Enrolment(mailbox, state(rs.getString("state")), Optional.ofNullable(account).map(URI::create),
                Optional.ofNullable(order).map(URI::create), Optional.ofNullable(rs.getString("certificate_pem")),
                Optional.ofNullable(Jdbc.instant(rs, "certificate_not_after")), key,
                Optional.ofNullable(rs.getString("last_error")), Jdbc.instant(rs, "updated_at"));
    }

    private static EnrolmentState state(String s) {
        try {
            return EnrolmentState.valueOf(s);
        } catch (IllegalArgumentException e) {
            return EnrolmentState.UNKNOWN;
        }
    }
}
