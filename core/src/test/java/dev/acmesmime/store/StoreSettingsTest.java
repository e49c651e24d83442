package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Unit tests for {@link StoreSettings}: defaults, and one test per bad value naming its setting. */
class StoreSettingsTest {
    static final Path HOME = Path.of("/opt/james");

    static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void shouldDefaultToAnEmbeddedH2FileUnderJamesHome() {
        StoreSettings s = StoreSettings.fromProperties(new Properties(), HOME);

        assertThat(s.jdbcUrl()).isEqualTo("jdbc:h2:file:/opt/james/var/acme-smime/store");
        assertThat(s.user()).isEqualTo("acme_smime");
        assertThat(s.password()).isNull();
        assertThat(s.poolSize()).isEqualTo(10);
        assertThat(s.masterKeyFile()).isEqualTo(Path.of("/opt/james/conf/acme-smime-master.key"));
        assertThat(s.createMasterKey()).isTrue();
        assertThat(s.auditRetention()).isEqualTo(Duration.ofDays(825));
        assertThat(s.nodeName()).isNotBlank();
    }

    @Test
    void shouldReadEverySetting() {
        StoreSettings s = StoreSettings.fromProperties(props(
                "store.jdbc.url", " jdbc:postgresql://db.example:5432/acme ",
                "store.jdbc.user", "acme",
                "store.jdbc.password", "s3cret",
                "store.pool.size", "20",
                "store.masterKeyFile", "keys/master.key",
                "store.masterKeyFile.create", "false",
                "store.audit.retentionDays", "30",
                "store.nodeName", "james-2"), HOME);

        assertThat(s).isEqualTo(new StoreSettings("jdbc:postgresql://db.example:5432/acme", "acme", "s3cret", 20,
                Path.of("/opt/james/keys/master.key"), false, Duration.ofDays(30), "james-2"));
    }

    @Test
    void shouldNeverShowThePassword() {
        StoreSettings s = StoreSettings.fromProperties(props("store.jdbc.url",
                "jdbc:postgresql://db.example/acme?user=a&password=urlsecret", "store.jdbc.password", "s3cret"), HOME);

        assertThat(s.toString()).doesNotContain("s3cret").doesNotContain("urlsecret").contains("password=***");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:mysql://db.example/acme", "postgresql://db.example/acme", "h2:file:/x", "not a url"})
    void shouldRejectAnUnsupportedJdbcUrl(String url) {
        assertThatThrownBy(() -> StoreSettings.fromProperties(props("store.jdbc.url", url), HOME))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageStartingWith("store.jdbc.url: unsupported JDBC URL")
                .satisfies(e -> assertThat(((StoreConfigurationException) e).setting()).isEqualTo("store.jdbc.url"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:h2:tcp://db.example/acme", "jdbc:h2:ssl://db.example/acme",
        "jdbc:h2:file:/x;AUTO_SERVER=TRUE"})
    void shouldRejectH2ServerModes(String url) {
        assertThatThrownBy(() -> StoreSettings.fromProperties(props("store.jdbc.url", url), HOME))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageStartingWith("store.jdbc.url: H2 is supported as an embedded database only");
    }

    @ParameterizedTest
    @CsvSource({"store.pool.size,0", "store.pool.size,201", "store.pool.size,ten",
        "store.audit.retentionDays,0", "store.audit.retentionDays,36501", "store.audit.retentionDays,1.5",
        "store.masterKeyFile.create,yes"})
    void shouldNameTheSettingOfABadValue(String key, String value) {
        assertThatThrownBy(() -> StoreSettings.fromProperties(props(key, value), HOME))
                .isInstanceOf(StoreConfigurationException.class)
                .hasMessageStartingWith(key + ": ")
                .hasMessageContaining(value);
    }

    @ParameterizedTest
    @CsvSource({"store.pool.size,1", "store.pool.size,200", "store.audit.retentionDays,1",
        "store.audit.retentionDays,36500"})
    void shouldAcceptTheBoundaries(String key, String value) {
        StoreSettings s = StoreSettings.fromProperties(props(key, value), HOME);

        assertThat(key.equals("store.pool.size") ? s.poolSize() : (int) s.auditRetention().toDays())
                .isEqualTo(Integer.parseInt(value));
    }
}
