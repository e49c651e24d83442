package dev.acmesmime.store;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * How an {@link Enrolment} maps to a row of {@value #TABLE}: the columns, the values in their
 * order, and the way back. The column {@code state} holds the {@link EnrolmentStep} and
 * {@code last_error} the problem detail (V005 added columns but renamed none).
 */
final class EnrolmentRows {
    static final String TABLE = "acme_smime_enrolment";
    /** The columns {@link #values} fills, in its order; {@code mailbox} last, for the UPDATE's WHERE. */
    private static final String[] WRITTEN = {"domain", "profile", "state", "attempts", "next_attempt_at",
        "account_url", "order_url", "challenge_url", "problem_type", "last_error", "certificate_pem",
        "certificate_serial", "ari_cert_id", "certificate_not_before", "certificate_not_after", "replaces_cert_id",
        "private_key", "updated_at", "mailbox"};
    static final String SELECT = "SELECT " + String.join(", ", WRITTEN) + ", lease_owner, lease_until FROM " + TABLE;
    static final String INSERT = "INSERT INTO " + TABLE + " (" + String.join(", ", WRITTEN) + ") VALUES ("
            + "?, ".repeat(WRITTEN.length - 1) + "?)";
    static final String UPDATE = "UPDATE " + TABLE + " SET "
            + String.join(" = ?, ", Arrays.copyOf(WRITTEN, WRITTEN.length - 1)) + " = ?";
    /** Widths of the columns that take what they are given (V001, V005). */
    private static final int PROFILE = 64;
    private static final int PROBLEM_TYPE = 255;
    private static final int PROBLEM_DETAIL = 2000;
    private static final int SERIAL = 128;
    private static final int CERT_ID = 512;

    private final SecretCipher cipher;

    EnrolmentRows(SecretCipher cipher) {
        this.cipher = cipher;
    }

    private static byte[] aad(String mailbox) {
        return SecretCipher.aad(TABLE, "private_key", mailbox);
    }

    /**
     * The values of {@link #WRITTEN} for {@code e} saved at {@code now}.
     *
     * @throws IllegalArgumentException for a key or identifier too long for its column: shortening
     *                                  it would make it name something else
     */
    Object[] values(Enrolment e, Instant now) {
        fits("mailbox", Optional.of(e.mailbox()), RecordLimits.ADDRESS);
        fits("profile", e.profile(), PROFILE);
        fits("certificateSerial", e.certificateSerial(), SERIAL);
        fits("ariCertId", e.ariCertId(), CERT_ID);
        fits("replacesCertId", e.replacesCertId(), CERT_ID);
        byte[] sealed = e.privateKey().map(k -> cipher.seal(k.bytes(), aad(e.mailbox()))).orElse(null);
        return new Object[] {e.domain(), text(e.profile()), e.step().name(), e.attempts(),
            time(e.nextAttemptAt()), text(e.accountUrl().map(URI::toString)), text(e.orderUrl().map(URI::toString)),
            text(e.challengeUrl().map(URI::toString)), text(e.problemType().map(t -> oneLine(t, PROBLEM_TYPE))),
            text(e.problemDetail().map(d -> oneLine(d, PROBLEM_DETAIL))), text(e.certificatePem()),
            text(e.certificateSerial()), text(e.ariCertId()), time(e.notBefore()), time(e.notAfter()),
            text(e.replacesCertId()), Jdbc.bytes(sealed), now, e.mailbox()};
    }

    Enrolment map(ResultSet rs) throws SQLException {
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
        return new Enrolment(mailbox, text(rs, "profile"), step(rs.getString("state")), rs.getInt("attempts"),
                time(rs, "next_attempt_at"), uri(rs, "account_url"), uri(rs, "order_url"), uri(rs, "challenge_url"),
                text(rs, "problem_type"), text(rs, "last_error"), text(rs, "certificate_pem"),
                text(rs, "certificate_serial"), text(rs, "ari_cert_id"), time(rs, "certificate_not_before"),
                time(rs, "certificate_not_after"), text(rs, "replaces_cert_id"), key, text(rs, "lease_owner"),
                time(rs, "lease_until"), Jdbc.instant(rs, "updated_at"));
    }

    /** @throws SQLException for a step this plugin does not know (see {@link EnrolmentStep}) */
    static EnrolmentStep step(String name) throws SQLException {
        try {
            return EnrolmentStep.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new SQLException("unknown enrolment step '" + name + "' (written by another plugin version?)", e);
        }
    }

    private static void fits(String field, Optional<String> value, int width) {
        if (value.isPresent() && value.get().length() > width) {
            throw new IllegalArgumentException(field + " longer than " + width + " characters");
        }
    }

    private static String oneLine(String s, int width) {
        return RecordLimits.shorten(s.replaceAll("[\\r\\n\\t]+", " "), width);
    }

    private static Object text(Optional<String> s) {
        return Jdbc.text(s.orElse(null));
    }

    private static Object time(Optional<Instant> i) {
        return Jdbc.time(i.map(Jdbc::truncate).orElse(null));
    }

    private static Optional<String> text(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }

    private static Optional<Instant> time(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(Jdbc.instant(rs, column));
    }

    private static Optional<URI> uri(ResultSet rs, String column) throws SQLException {
        return text(rs, column).map(URI::create);
    }
}
