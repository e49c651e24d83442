package dev.acmesmime.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.acmesmime.gateway.EncryptPolicy;
import dev.acmesmime.gateway.SignPolicy;

final class JdbcGatewayPolicyStore implements GatewayPolicyStore {
    static final String TABLE = "acme_smime_gateway_policy";
    private static final String SELECT = "SELECT scope, sign_policy, encrypt_policy, updated_at FROM " + TABLE;

    private final Jdbc jdbc;
    private final Clock clock;

    JdbcGatewayPolicyStore(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public Optional<GatewayPolicyOverride> find(String scope) {
        return jdbc.queryOne("find a gateway policy", SELECT + " WHERE scope = ?", JdbcGatewayPolicyStore::map,
                GatewayPolicyOverride.normalise(scope));
    }

    @Override
    public List<GatewayPolicyOverride> all() {
        return jdbc.query("list the gateway policies", SELECT + " ORDER BY scope LIMIT " + MAX_LIST,
                JdbcGatewayPolicyStore::map);
    }

    @Override
    public GatewayPolicyOverride save(GatewayPolicyOverride o) {
        Instant now = Jdbc.truncate(clock.instant());
        Object sign = Jdbc.text(o.sign().map(SignPolicy::name).orElse(null));
        Object encrypt = Jdbc.text(o.encrypt().map(EncryptPolicy::name).orElse(null));
        return jdbc.inConnection("save a gateway policy", c -> {
            // UPDATE first, INSERT if absent; a lost INSERT race (another node) falls back to the UPDATE.
            for (int round = 0; round < 2; round++) {
                if (Jdbc.update(c, "UPDATE " + TABLE + " SET sign_policy = ?, encrypt_policy = ?, updated_at = ?"
                        + " WHERE scope = ?", sign, encrypt, now, o.scope()) == 1) {
                    return reread(c, o.scope());
                }
                if (Jdbc.insertUnlessDuplicate(c, "INSERT INTO " + TABLE + " (sign_policy, encrypt_policy, updated_at,"
                        + " scope) VALUES (?, ?, ?, ?)", sign, encrypt, now, o.scope())) {
                    return reread(c, o.scope());
                }
            }
            throw new SQLException("gateway policy of " + o.scope() + " changed concurrently twice");
        });
    }

    private static GatewayPolicyOverride reread(Connection c, String scope) throws SQLException {
        return Jdbc.query(c, SELECT + " WHERE scope = ?", JdbcGatewayPolicyStore::map, scope).get(0);
    }

    @Override
    public boolean delete(String scope) {
        return jdbc.update("delete a gateway policy", "DELETE FROM " + TABLE + " WHERE scope = ?",
                GatewayPolicyOverride.normalise(scope)) == 1;
    }

    private static GatewayPolicyOverride map(ResultSet rs) throws SQLException {
        // stored by enum name; a name this version does not know reads as "inherit" rather than failing every mail
        Optional<SignPolicy> sign = Optional.ofNullable(rs.getString("sign_policy")).flatMap(SignPolicy::parse);
        Optional<EncryptPolicy> encrypt = Optional.ofNullable(rs.getString("encrypt_policy"))
                .flatMap(EncryptPolicy::parse);
        return new GatewayPolicyOverride(rs.getString("scope"), sign, encrypt, Jdbc.instant(rs, "updated_at"));
    }
}
