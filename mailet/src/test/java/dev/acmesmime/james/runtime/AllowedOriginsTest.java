package dev.acmesmime.james.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AllowedOriginsTest {

    static AllowedOrigins read(String value) {
        Properties p = new Properties();
        if (value != null) {
            p.setProperty(AllowedOrigins.KEY, value);
        }
        return AllowedOrigins.fromProperties(p);
    }

    @Test
    void absentOrBlank_allowsNoOrigin() {
        assertThat(read(null).isEmpty()).isTrue();
        assertThat(read("  ").isEmpty()).isTrue();
        assertThat(read(null).allows(null)).isFalse();
    }

    @Test
    void exactOrigins_areAllowed_andNothingElse() {
        AllowedOrigins allowed = read(" https://admin.org.example , http://localhost:3000,http://[::1]:8080");

        assertThat(allowed.origins()).isEqualTo(Set.of("https://admin.org.example", "http://localhost:3000",
                "http://[::1]:8080"));
        assertThat(allowed.allows("https://admin.org.example")).isTrue();
        assertThat(allowed.allows("http://admin.org.example")).isFalse();
        assertThat(allowed.allows("http://localhost:3001")).isFalse();
        assertThat(allowed.allows("null")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "https://admin.org.example/", "https://admin.org.example/path", "admin.org.example",
            "ftp://admin.org.example", "https://Admin.org.example", "https://u@admin.org.example",
            "https://admin.org.example?x", "https://a.example,", "null", "https://*.org.example"})
    void anythingButAnExactOrigin_isRefused_namingTheKey(String value) {
        assertThatThrownBy(() -> read(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(AllowedOrigins.KEY + ": '");
    }
}
