package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

interface EnrolmentStoreContract extends StoreFixture {
    String CERT_PEM = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2VydGlmaWNhdGUgZm9yIHRlc3Q=\n-----END CERTIFICATE-----\n";

    default EnrolmentStore enrolments() {
        return store().enrolments();
    }

    /** An enrolment with every field set, the lease excepted (the store sets that). */
    default Enrolment issued(String mailbox, byte[] key) {
        Instant now = clock().instant();
        return Enrolment.of(mailbox).withProfile("default").withStep(EnrolmentStep.ISSUED)
                .withSchedule(2, now.plus(Duration.ofDays(60)))
                .withAccountUrl(URI.create("https://ca.example/acme/acct/7"))
                .withOrderUrl(URI.create("https://ca.example/acme/order/42"))
                .withChallengeUrl(URI.create("https://ca.example/acme/chall/42"))
                .withProblem("urn:ietf:params:acme:error:rateLimited", "too many orders")
                .withCertificate(CERT_PEM, "4f1a", "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", now, now.plus(Duration.ofDays(90)))
                .withReplacesCertId("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQw")
                .withPrivateKey(SecretBytes.of(key));
    }

    @Test
    default void savedEnrolmentComesBackWithEveryFieldAndItsPrivateKey() {
        byte[] key = {0x30, (byte) 0x82, 1, 2, 3, 4, 5};
        Enrolment written = issued("Alice@Org.Example", key);
        Enrolment saved = enrolments().save(written);

        assertThat(saved.updatedAt()).isEqualTo(Jdbc.truncate(clock().instant()));
        assertThat(saved).usingRecursiveComparison().ignoringFields("updatedAt").isEqualTo(written);
        assertThat(enrolments().find("Alice@Org.Example")).contains(saved);
        assertThat(saved.privateKey().orElseThrow().bytes()).isEqualTo(key);
        assertThat(saved.domain()).isEqualTo("org.example");
        assertThat(saved.leaseOwner()).isEmpty();
    }

    @Test
    default void saveReplacesTheWholeEnrolment() {
        enrolments().save(issued("alice@org.example", new byte[] {1, 2, 3}));
        clock().advance(Duration.ofMinutes(1));

        Enrolment failed = enrolments().save(Enrolment.of("alice@org.example").withStep(EnrolmentStep.FAILED)
                .withProblem(null, "order invalid"));

        assertThat(enrolments().find("alice@org.example")).contains(failed);
        assertThat(failed.privateKey()).isEmpty();
        assertThat(failed.certificatePem()).isEmpty();
        assertThat(failed.nextAttemptAt()).isEmpty();
        assertThat(failed.problemType()).isEmpty();
    }

    @Test
    default void aProblemIsStoredAsOneShortenedLine() {
        Enrolment e = enrolments().save(Enrolment.of("alice@org.example")
                .withProblem("urn:x:" + "t".repeat(400), "line one\r\nline two\t" + "d".repeat(3000)));

        assertThat(e.problemType().orElseThrow()).hasSize(255).endsWith("…");
        assertThat(e.problemDetail().orElseThrow()).hasSize(2000).startsWith("line one line two d").endsWith("…");
    }

    @Test
    default void anIdentifierTooLongForItsColumnIsRefusedNotShortened() {
        assertThatThrownBy(() -> enrolments().save(Enrolment.of("alice@org.example").withReplacesCertId("x".repeat(513))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replacesCertId");
        assertThatThrownBy(() -> enrolments().save(Enrolment.of("a".repeat(310) + "@org.example")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mailbox");
        assertThat(enrolments().list(Optional.empty(), Optional.empty(), Optional.empty(), 10)).isEmpty();
    }

    @Test
    default void enrolmentsArePagedInMailboxOrderByDomainAndStep() {
        for (int i = 0; i < 25; i++) {
            String mailbox = String.format("user%02d@%s", i, i % 2 == 0 ? "org.example" : "other.example");
            EnrolmentStep step = i % 3 == 0 ? EnrolmentStep.ISSUED : EnrolmentStep.POSTED;
            enrolments().save(Enrolment.of(mailbox).withStep(step));
        }

        List<String> all = pages(Optional.empty(), Optional.empty(), 7);
        assertThat(all).hasSize(25).isSorted().doesNotHaveDuplicates();
        assertThat(pages(Optional.of("ORG.example"), Optional.empty(), 4))
                .hasSize(13).allMatch(m -> m.endsWith("@org.example"));
        assertThat(pages(Optional.of("org.example"), Optional.of(EnrolmentStep.ISSUED), 2))
                .containsExactly("user00@org.example", "user06@org.example", "user12@org.example",
                        "user18@org.example", "user24@org.example");
        assertThat(pages(Optional.of("none.example"), Optional.empty(), 5)).isEmpty();
        assertThatThrownBy(() -> enrolments().list(Optional.empty(), Optional.empty(), Optional.empty(),
                EnrolmentStore.MAX_PAGE + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Every page of a listing, following the cursor; no page is longer than {@code size}. */
    private List<String> pages(Optional<String> domain, Optional<EnrolmentStep> step, int size) {
        List<String> seen = new ArrayList<>();
        Optional<String> after = Optional.empty();
        while (true) {
            List<Enrolment> page = enrolments().list(domain, step, after, size);
            assertThat(page.size()).isLessThanOrEqualTo(size);
            page.forEach(e -> seen.add(e.mailbox()));
            if (page.size() < size) {
                return seen;
            }
            after = Optional.of(page.get(page.size() - 1).mailbox());
        }
    }

    @Test
    default void enrolmentsAreCountedByStep() {
        enrolments().save(issued("bob@org.example", new byte[] {1}));
        enrolments().save(issued("alice@org.example", new byte[] {2}));
        enrolments().save(Enrolment.of("carol@org.example").withStep(EnrolmentStep.ORDERED));

        assertThat(enrolments().countByStep())
                .isEqualTo(Map.of(EnrolmentStep.ISSUED, 2L, EnrolmentStep.ORDERED, 1L));
    }

    @Test
    default void deleteRemovesTheEnrolment() {
        enrolments().save(issued("alice@org.example", new byte[] {1}));

        assertThat(enrolments().delete("alice@org.example")).isTrue();
        assertThat(enrolments().delete("alice@org.example")).isFalse();
        assertThat(enrolments().find("alice@org.example")).isEmpty();
    }

    @Test
    default void aStepFromAnotherVersionIsReportedNotGuessed() throws SQLException {
        enrolments().save(Enrolment.of("alice@org.example"));
        try (Connection c = database().adminConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE acme_smime_enrolment SET state = 'RENEWING'");
        }

        assertThatThrownBy(() -> enrolments().find("alice@org.example")).isInstanceOf(StoreException.class)
                .hasMessageContaining("unknown enrolment step 'RENEWING'");
    }

    @Test
    default void privateKeyNeverAppearsInToString() {
        Enrolment e = enrolments().save(issued("alice@org.example", "SECRETKEYBYTES".getBytes()));

        assertThat(e.toString()).doesNotContain("SECRETKEYBYTES").contains("redacted");
    }
}
