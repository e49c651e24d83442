package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

interface EnrolmentStoreContract extends StoreFixture {
    String CERT_PEM = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2VydGlmaWNhdGUgZm9yIHRlc3Q=\n-----END CERTIFICATE-----\n";

    default EnrolmentStore enrolments() {
        return store().enrolments();
    }

    default Enrolment issued(String mailbox, byte[] key) {
        return Enrolment.of(mailbox).withState(EnrolmentState.ISSUED)
                .withAccountUrl(URI.create("https://ca.example/acme/acct/7"))
                .withOrderUrl(URI.create("https://ca.example/acme/order/42"))
                .withCertificate(CERT_PEM, Instant.parse("2027-03-01T00:00:00Z"))
                .withPrivateKey(SecretBytes.of(key));
    }

    @Test
    default void savedEnrolmentComesBackWithEveryFieldAndItsPrivateKey() {
        byte[] key = {0x30, (byte) 0x82, 1, 2, 3, 4, 5};
        Enrolment saved = enrolments().save(issued("alice@org.example", key));

        assertThat(saved.updatedAt()).isEqualTo(Jdbc.truncate(clock().instant()));
        assertThat(enrolments().find("alice@org.example")).contains(saved);
        assertThat(enrolments().find("alice@org.example").orElseThrow().privateKey().orElseThrow().bytes())
                .isEqualTo(key);
    }

    @Test
    default void saveReplacesTheWholeEnrolment() {
        enrolments().save(issued("alice@org.example", new byte[] {1, 2, 3}));
        clock().advance(Duration.ofMinutes(1));

        Enrolment failed = enrolments().save(Enrolment.of("alice@org.example").withState(EnrolmentState.FAILED)
                .withLastError("order invalid"));

        assertThat(enrolments().find("alice@org.example")).contains(failed);
        assertThat(failed.privateKey()).isEmpty();
        assertThat(failed.certificatePem()).isEmpty();
    }

    @Test
    default void enrolmentsAreListedByState() {
        enrolments().save(issued("bob@org.example", new byte[] {1}));
        enrolments().save(issued("alice@org.example", new byte[] {2}));
        enrolments().save(Enrolment.of("carol@org.example").withState(EnrolmentState.ORDERED));

        assertThat(enrolments().listByState(EnrolmentState.ISSUED)).extracting(Enrolment::mailbox)
                .containsExactly("alice@org.example", "bob@org.example");
        assertThat(enrolments().listByState(EnrolmentState.ORDERED)).extracting(Enrolment::mailbox)
                .containsExactly("carol@org.example");
        assertThat(enrolments().listByState(EnrolmentState.FAILED)).isEmpty();
    }

    @Test
    default void deleteRemovesTheEnrolment() {
        enrolments().save(issued("alice@org.example", new byte[] {1}));

        assertThat(enrolments().delete("alice@org.example")).isTrue();
        assertThat(enrolments().delete("alice@org.example")).isFalse();
        assertThat(enrolments().find("alice@org.example")).isEmpty();
    }

    @Test
    default void aStateFromANewerVersionIsReadAsUnknown() throws SQLException {
        enrolments().save(Enrolment.of("alice@org.example"));
        try (Connection c = database().adminConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE acme_smime_enrolment SET state = 'RENEWING'");
        }

        assertThat(enrolments().find("alice@org.example")).get().extracting(Enrolment::state)
                .isEqualTo(EnrolmentState.UNKNOWN);
    }

    @Test
    default void privateKeyNeverAppearsInToString() {
        Enrolment e = enrolments().save(issued("alice@org.example", "SECRETKEYBYTES".getBytes()));

        assertThat(e.toString()).doesNotContain("SECRETKEYBYTES").contains("redacted");
    }
}
