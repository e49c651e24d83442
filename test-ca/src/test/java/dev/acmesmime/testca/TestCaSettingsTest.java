package dev.acmesmime.testca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TestCaSettingsTest {
    @TempDir
    Path dir;

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void defaultsAreLoopbackTlsSevenDaysAndNoFaults() {
        TestCaSettings s = TestCaSettings.parse(props(), dir);

        assertThat(s.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(s.httpPort()).isEqualTo(14000);
        assertThat(s.tls()).isTrue();
        assertThat(s.managementPort()).isEqualTo(15000);
        assertThat(s.certificateLifetime()).isEqualTo(Duration.ofDays(7));
        assertThat(s.ari()).isTrue();
        assertThat(s.challengeLifetime()).isEqualTo(Duration.ofHours(24));
        assertThat(s.eab()).isEqualTo(TestCaSettings.Eab.OFF);
        assertThat(s.faults()).isEqualTo(TestCaSettings.Faults.NONE);
        assertThat(s.dataDir()).isEqualTo(dir.resolve("var/test-ca"));
        assertThat(s.dkim()).isEmpty();
        assertThat(s.caa().check()).isFalse();
    }

    @Test
    void shortAndIsoDurationsAndEabKeysAreRead() {
        TestCaSettings s = TestCaSettings.parse(props("certificate.lifetime", "2h", "retryAfter", "PT0.5S",
                "fault.validationDelay", "250ms", "fault.responseOnlyAfterPost", "2s", "fault.requestDelay", "40ms",
                "eab", "required",
                "eab.key.kid-1", "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W", "ari", "false"), dir);

        assertThat(s.certificateLifetime()).isEqualTo(Duration.ofHours(2));
        assertThat(s.ari()).isFalse();
        assertThat(s.retryAfter()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.faults().validationDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.faults().responseOnlyAfterPost()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.faults().requestDelay()).isEqualTo(Duration.ofMillis(40));
        assertThat(s.eab()).isEqualTo(TestCaSettings.Eab.REQUIRED);
        assertThat(s.eabKeys()).containsOnlyKeys("kid-1");
        assertThat(s.eabKeys().get("kid-1")).hasSize(48);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http.port|notaport|http.port",
        "http.port|70000|http.port",
        "tls|yes|tls",
        "eab|sometimes|eab",
        "eab|required|eab",
        "certificate.lifetime|forever|certificate.lifetime",
        "certificate.lifetime|0s|certificate.lifetime",
        "challenge.lifetime|25h|challenge.lifetime",
        "fault.nonceRejectPercent|101|fault.nonceRejectPercent",
        "rateLimit.ordersPerMinute|-1|rateLimit.ordersPerMinute",
        "smtp.dkim.domain|ca.test|smtp.dkim.domain",
    })
    void aBadValueStopsStartWithTheKeyInTheMessage(String key, String value, String named) {
        assertThatThrownBy(() -> TestCaSettings.parse(props(key, value), dir))
                .isInstanceOf(TestCaConfigurationException.class)
                .hasMessageContaining(named);
    }

    @Test
    void plainHttpIsRefusedOffLoopback() {
        assertThatThrownBy(() -> TestCaSettings.parse(props("tls", "false", "http.address", "0.0.0.0"), dir))
                .isInstanceOf(TestCaConfigurationException.class)
                .hasMessageContaining("tls: false is allowed only")
                .hasMessageContaining("0.0.0.0");
        assertThat(TestCaSettings.parse(props("tls", "false", "http.address", "::1"), dir).tls()).isFalse();
    }

    @Test
    void aShortEabKeyIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> TestCaSettings.parse(props("eab.key.k", "c2hvcnQ"), dir))
                .isInstanceOf(TestCaConfigurationException.class)
                .hasMessageContaining("eab.key.k")
                .hasMessageNotContaining("c2hvcnQ");
    }

    @Test
    void loadResolvesPathsAgainstTheFilesFolder() throws Exception {
        Path key = Files.writeString(dir.resolve("dkim.pem"), "not read here");
        Path file = Files.writeString(dir.resolve("test-ca.properties"), String.join("\n",
                "dataDir=data", "forward.hmacKeyFile=secret", "smtp.dkim.domain=ca.test",
                "smtp.dkim.selector=s1", "smtp.dkim.keyFile=" + key.getFileName()));

        TestCaSettings s = TestCaSettings.load(file);

        assertThat(s.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(s.forwardKeyFile()).contains(dir.resolve("secret"));
        assertThat(s.dkim()).hasValueSatisfying(d -> assertThat(d.keyFile()).isEqualTo(key));
    }
}
