package dev.acmesmime.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.acmesmime.gateway.CorrespondentCertificate;
import dev.acmesmime.gateway.CorrespondentCertificateStore;

/**
 * Correspondents' certificates (G6), one row per leaf fingerprint. Each address keeps its
 * {@value #KEPT_PER_ADDRESS} most recently harvested certificates: a correspondent who sends from
 * many devices or renews often cannot grow the table without bound.
 */
final class JdbcCorrespondentCertificateStore implements CorrespondentCertificateStore {
    static final String TABLE = "acme_smime_correspondent_cert";
    /** Certificates kept per address, newest harvest first. */
    static final int KEPT_PER_ADDRESS = 10;
    private static final String SELECT = "SELECT address, pem, fingerprint, not_before, not_after, gcm_capable,"
            + " harvested_at FROM " + TABLE;

    private final Jdbc jdbc;

    JdbcCorrespondentCertificateStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void save(CorrespondentCertificate cert) {
        String address = key(cert.address());
        Instant harvested = Jdbc.truncate(cert.harvestedAt());
        jdbc.inTransaction("save a correspondent certificate", () -> jdbc.inConnection(
                "save a correspondent certificate", c -> {
                    // a known leaf is only seen again: its harvest time (and capabilities) refreshed
                    if (Jdbc.update(c, "UPDATE " + TABLE + " SET harvested_at = ?, gcm_capable = ? WHERE fingerprint = ?"
                            + " AND address = ?", harvested, cert.gcmCapable(), cert.fingerprint(), address) == 0) {
                        Jdbc.insertUnlessDuplicate(c, "INSERT INTO " + TABLE + " (fingerprint, address, pem, not_before,"
                                + " not_after, gcm_capable, harvested_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                cert.fingerprint(), address, cert.certificatePem(), cert.notBefore(), cert.notAfter(),
                                cert.gcmCapable(), harvested);
                    }
                    trim(c, address);
                    return null;
                }));
    }

    /** Deletes all but the {@value #KEPT_PER_ADDRESS} newest harvests of {@code address}. */
    private static void trim(Connection c, String address) throws SQLException {
        List<String> stale = Jdbc.query(c, "SELECT fingerprint FROM " + TABLE + " WHERE address = ?"
                + " ORDER BY harvested_at DESC, fingerprint OFFSET " + KEPT_PER_ADDRESS + " ROWS",
                rs -> rs.getString(1), address);
        for (String fingerprint : stale) {
            Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE fingerprint = ?", fingerprint);
        }
    }

    @Override
    public Optional<CorrespondentCertificate> current(String address, Instant now) {
        Instant at = Jdbc.truncate(now);
        return jdbc.queryOne("find a correspondent's current certificate", SELECT + " WHERE address = ?"
                + " AND not_before <= ? AND not_after >= ? ORDER BY not_after DESC, harvested_at DESC LIMIT 1",
                JdbcCorrespondentCertificateStore::map, key(address), at, at);
    }

    @Override
    public List<CorrespondentCertificate> all(String address) {
        return jdbc.query("list a correspondent's certificates", SELECT + " WHERE address = ?"
                + " ORDER BY harvested_at DESC, fingerprint", JdbcCorrespondentCertificateStore::map, key(address));
    }

    @Override
    public int delete(String address) {
        return jdbc.update("forget a correspondent's certificates", "DELETE FROM " + TABLE + " WHERE address = ?",
                key(address));
    }

    private static String key(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }

    private static CorrespondentCertificate map(ResultSet rs) throws SQLException {
        return new CorrespondentCertificate(rs.getString("address"), rs.getString("pem"), rs.getString("fingerprint"),
                Jdbc.instant(rs, "not_before"), Jdbc.instant(rs, "not_after"), rs.getBoolean("gcm_capable"),
                Jdbc.instant(rs, "harvested_at"));
    }
}
