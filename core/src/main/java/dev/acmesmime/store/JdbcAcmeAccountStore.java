package dev.acmesmime.store;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

final class JdbcAcmeAccountStore implements AcmeAccountStore {
    static final String TABLE = "acme_smime_acme_account";
    private static final String SELECT = "SELECT profile, directory_url, account_url, account_key, created_at,"
            + " updated_at FROM " + TABLE + " WHERE profile = ?";
    private static final int PROFILE = 64;

    private final Jdbc jdbc;
    private final SecretCipher cipher;
    private final Clock clock;

    JdbcAcmeAccountStore(Jdbc jdbc, SecretCipher cipher, Clock clock) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.clock = clock;
    }

    private static byte[] aad(String profile) {
        return SecretCipher.aad(TABLE, "account_key", profile);
    }

    @Override
    public Optional<AcmeAccount> find(String profile) {
        return jdbc.queryOne("find an ACME account", SELECT, this::map, profile);
    }

    @Override
    public AcmeAccount save(AcmeAccount a) {
        if (a.profile().length() > PROFILE) {
            throw new IllegalArgumentException("profile longer than " + PROFILE + " characters");
        }
        Instant now = Jdbc.truncate(clock.instant());
        byte[] sealed = cipher.seal(a.accountKey().bytes(), aad(a.profile()));
        Object url = Jdbc.text(a.accountUrl().map(URI::toString).orElse(null));
        return jdbc.inConnection("save an ACME account", c -> {
            // UPDATE first, INSERT if absent; a lost INSERT race (another node) falls back to the UPDATE.
            for (int round = 0; round < 2; round++) {
                if (Jdbc.update(c, "UPDATE " + TABLE + " SET directory_url = ?, account_url = ?, account_key = ?,"
                        + " updated_at = ? WHERE profile = ?", a.directory().toString(), url, sealed, now,
                        a.profile()) == 1) {
                    return reread(c, a.profile());
                }
                if (Jdbc.insertUnlessDuplicate(c, "INSERT INTO " + TABLE + " (directory_url, account_url, account_key,"
                        + " updated_at, profile, created_at) VALUES (?, ?, ?, ?, ?, ?)", a.directory().toString(), url,
                        sealed, now, a.profile(), now)) {
                    return reread(c, a.profile());
                }
            }
            throw new SQLException("ACME account of profile " + a.profile() + " changed concurrently twice");
        });
    }

    private AcmeAccount reread(Connection c, String profile) throws SQLException {
        return Jdbc.query(c, SELECT, this::map, profile).get(0);
    }

    @Override
    public boolean delete(String profile) {
        return jdbc.update("delete an ACME account", "DELETE FROM " + TABLE + " WHERE profile = ?", profile) == 1;
    }

    private AcmeAccount map(ResultSet rs) throws SQLException {
        String profile = rs.getString("profile");
        byte[] key;
        try {
            key = cipher.open(rs.getBytes("account_key"), aad(profile));
        } catch (SecretCipher.SealedValueException e) {
            throw new SQLException("cannot decrypt the ACME account key of profile " + profile + ": "
                    + e.getMessage(), e);
        }
        return new AcmeAccount(profile, URI.create(rs.getString("directory_url")),
                Optional.ofNullable(rs.getString("account_url")).map(URI::create), SecretBytes.of(key),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }
}
