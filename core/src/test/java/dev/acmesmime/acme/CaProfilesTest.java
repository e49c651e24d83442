package dev.acmesmime.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Unit tests for {@link CaProfiles}: every setting read, every bad value refused by its full name. */
class CaProfilesTest {
    private static final String P = "enrolment.profile.main.";

    @TempDir
    Path base;
    Properties properties;

    @BeforeEach
    void minimalProfile() {
        properties = new Properties();
        properties.setProperty(P + "directory", "https://acme.ca.test/dir");
        properties.setProperty(P + "domains", "org.test");
    }

    private CaProfiles parse() {
        return CaProfiles.parse(properties, base);
    }

    @Test
    void noProfileMeansNoEnrolment() {
        assertThat(CaProfiles.parse(new Properties(), base).isEmpty()).isTrue();
    }

    @Test
    void aMinimalProfileTakesTheDefaults() {
        CaProfile profile = parse().named("main").orElseThrow();

        assertThat(profile.directory()).isEqualTo(URI.create("https://acme.ca.test/dir"));
        assertThat(profile.domains()).containsExactly("org.test");
        assertThat(profile.trustStore()).isEmpty();
        assertThat(profile.eab()).isEmpty();
        assertThat(profile.termsOfServiceAgreed()).isFalse();
        assertThat(profile.keyType()).isEqualTo(KeyType.EC_P256);
        assertThat(profile.keyUsage()).isEqualTo(KeyUsageChoice.BOTH);
        assertThat(profile.concatenation()).isEqualTo(Concatenation.STRING);
        assertThat(profile.postDelay()).isEqualTo(Duration.ZERO);
    }

    @Test
    void everySettingIsRead() throws IOException {
        Files.writeString(base.resolve("trust.p12"), "x");
        Files.writeString(base.resolve("trust.password"), "secret\n");
        Files.writeString(base.resolve("eab.key"), "aGVsbG8");
        properties.setProperty(P + "domains", " Org.Test , *.org.test,org.test ");
        properties.setProperty(P + "trustStore", "trust.p12");
        properties.setProperty(P + "trustStorePasswordFile", "trust.password");
        properties.setProperty(P + "termsOfServiceAgreed", "TRUE");
        properties.setProperty(P + "eab.kid", "kid-1");
        properties.setProperty(P + "eab.hmacKeyFile", "eab.key");
        properties.setProperty(P + "keyType", "rsa-3072");
        properties.setProperty(P + "keyUsage", "signing");
        properties.setProperty(P + "concatenation", "bytes");
        properties.setProperty(P + "postDelay", "1500ms");

        CaProfile profile = parse().named("main").orElseThrow();

        assertThat(profile.domains()).containsExactly("org.test", "*.org.test");
        assertThat(profile.trustStore()).contains(new CaProfile.TrustStore(base.resolve("trust.p12"),
                Optional.of(base.resolve("trust.password"))));
        assertThat(profile.termsOfServiceAgreed()).isTrue();
        assertThat(profile.eab()).contains(new CaProfile.Eab("kid-1", base.resolve("eab.key")));
        assertThat(profile.keyType()).isEqualTo(KeyType.RSA_3072);
        assertThat(profile.keyUsage()).isEqualTo(KeyUsageChoice.SIGNING);
        assertThat(profile.concatenation()).isEqualTo(Concatenation.BYTES);
        assertThat(profile.postDelay()).isEqualTo(Duration.ofMillis(1500));
    }

    @ParameterizedTest
    @CsvSource({"2s,2000", "PT3S,3000", "5m,300000", "0s,0", "10m,600000"})
    void postDelayReadsShortAndIsoForms(String value, long millis) {
        properties.setProperty(P + "postDelay", value);
        assertThat(parse().all().get(0).postDelay()).isEqualTo(Duration.ofMillis(millis));
    }

    @Nested
    class ProfileFor {
        @BeforeEach
        void threeProfiles() {
            properties.setProperty(P + "domains", "org.test, *.org.test");
            properties.setProperty("enrolment.profile.sales.directory", "https://acme.other.test/dir");
            properties.setProperty("enrolment.profile.sales.domains", "*.sales.org.test");
            properties.setProperty("enrolment.profile.hq.directory", "https://acme.other.test/dir");
            properties.setProperty("enrolment.profile.hq.domains", "hq.sales.org.test");
        }

        @ParameterizedTest
        @CsvSource({"alice@org.test,main", "bob@ORG.TEST,main", "carol@eu.org.test,main",
            "dave@x.sales.org.test,sales", "erin@hq.sales.org.test,hq"})
        void theMostSpecificPatternWins(String mailbox, String profile) {
            assertThat(parse().profileFor(mailbox)).map(CaProfile::name).contains(profile);
        }

        @ParameterizedTest
        @CsvSource({"alice@other.test", "alice@sales.org.test.evil", "no-domain"})
        void aMailboxNoPatternCoversHasNoProfile(String mailbox) {
            assertThat(parse().profileFor(mailbox)).isEmpty();
        }

        @Test
        void aWildcardDoesNotCoverItsBaseDomain() {
            assertThat(parse().profileFor("frank@sales.org.test")).map(CaProfile::name).contains("main");
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "directory|''|is required",
        "directory|http://acme.ca.test/dir|must be an https URL",
        "directory|https://|not a URL",
        "directory|acme.ca.test/dir|must be an https URL",
        "domains|''|is required",
        "domains|' , '|is required",
        "domains|exa mple.org|'exa mple.org' is neither a domain nor *.domain",
        "domains|*.*.org|'*.*.org' is neither",
        "domains|-org.test|is neither",
        "trustStore|missing.p12|no readable file at",
        "termsOfServiceAgreed|yes|must be true or false, got 'yes'",
        "keyType|rsa-1024|must be one of [rsa-2048, rsa-3072, ec-p256, ec-p384], got 'rsa-1024'",
        "keyUsage|sign|must be one of [both, signing, encryption]",
        "concatenation|utf8|must be one of [string, bytes]",
        "postDelay|2 s|not a duration",
        "postDelay|-PT1S|must be between 0s and 600s",
        "postDelay|11m|must be between 0s and 600s",
        "eab.hmacKeyFile|missing.key|no readable file at"})
    void aBadValueIsRefusedByItsName(String key, String value, String message) {
        properties.setProperty(P + key, value);

        assertThatThrownBy(this::parse).isInstanceOf(CaProfileException.class)
                .hasMessageStartingWith(P + key + ": ").hasMessageContaining(message)
                .extracting(e -> ((CaProfileException) e).setting()).isEqualTo(P + key);
    }

    @Test
    void aKeyIdWithoutHmacKeyFileIsRefused() {
        properties.setProperty(P + "eab.kid", "kid-1");
        assertThatThrownBy(this::parse).hasMessage(P + "eab.hmacKeyFile: is required: eab.kid and eab.hmacKeyFile"
                + " go together");
    }

    @Test
    void anHmacKeyFileWithoutKeyIdIsRefused() throws IOException {
        Files.writeString(base.resolve("eab.key"), "aGVsbG8");
        properties.setProperty(P + "eab.hmacKeyFile", "eab.key");
        assertThatThrownBy(this::parse).hasMessageStartingWith(P + "eab.kid: is required");
    }

    @Test
    void aPasswordFileWithoutTrustStoreIsRefused() throws IOException {
        Files.writeString(base.resolve("trust.password"), "secret");
        properties.setProperty(P + "trustStorePasswordFile", "trust.password");
        assertThatThrownBy(this::parse).hasMessageStartingWith(P + "trustStore: is required when");
    }

    @Test
    void aMisspeltSettingIsRefused() {
        properties.setProperty(P + "keytype", "ec-p256");
        assertThatThrownBy(this::parse).hasMessageStartingWith(P + "keytype: unknown setting; known: [");
    }

    @Test
    void aProfileNameWithOtherCharactersIsRefused() {
        properties.setProperty("enrolment.profile.ma!n.directory", "https://acme.ca.test/dir");
        assertThatThrownBy(this::parse).isInstanceOf(CaProfileException.class)
                .hasMessageStartingWith("enrolment.profile.ma!n.directory: expected enrolment.profile.<name>.");
    }

    @Test
    void aDomainInTwoProfilesIsRefused() {
        properties.setProperty("enrolment.profile.other.directory", "https://acme.other.test/dir");
        properties.setProperty("enrolment.profile.other.domains", "ORG.test");
        assertThatThrownBy(this::parse)
                .hasMessage("enrolment.profile.other.domains: 'org.test' is already in profile main");
    }

    @Test
    void profilesAreListedByName() {
        properties.setProperty("enrolment.profile.alpha.directory", "https://acme.other.test/dir");
        properties.setProperty("enrolment.profile.alpha.domains", "alpha.test");
        assertThat(parse().all()).extracting(CaProfile::name).isEqualTo(List.of("alpha", "main"));
    }
}
