package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.acmesmime.gateway.CorrespondentCertificate;
import dev.acmesmime.gateway.CorrespondentCertificateStore;

/** Correspondents' harvested certificates (G6): one row per leaf, bounded per address, the current one by validity. */
interface CorrespondentCertificateStoreContract extends StoreFixture {
    String CAROL = "carol@partner.example";

    private CorrespondentCertificate cert(String fingerprint, Instant notBefore, Instant notAfter, boolean gcm) {
        return new CorrespondentCertificate(CAROL, "-----BEGIN CERTIFICATE-----\n" + fingerprint
                + "\n-----END CERTIFICATE-----\n", fingerprint, notBefore, notAfter, gcm, clock().instant());
    }

    private CorrespondentCertificateStore correspondents() {
        return store().correspondents();
    }

    @Test
    default void g6_aHarvestedCertificateIsStoredAndSeenAgainOnlyRefreshesItsHarvestTime() {
        Instant now = clock().instant();
        correspondents().save(cert("aa01", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)), false));
        clock().advance(Duration.ofHours(5));
        correspondents().save(cert("aa01", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)), true));

        assertThat(correspondents().all(CAROL)).singleElement().satisfies(c -> {
            assertThat(c.fingerprint()).isEqualTo("aa01");
            assertThat(c.certificatePem()).contains("aa01");
            assertThat(c.gcmCapable()).isTrue();
            assertThat(c.harvestedAt()).isEqualTo(Jdbc.truncate(clock().instant()));
            assertThat(c.notAfter()).isEqualTo(Jdbc.truncate(now.plus(Duration.ofDays(90))));
        });
        assertThat(correspondents().all("CAROL@Partner.example")).hasSize(1);
        assertThat(correspondents().all("dave@partner.example")).isEmpty();
    }

    @Test
    default void g7_theCurrentCertificateIsTheOneValidNowThatEndsLast() {
        Instant now = clock().instant();
        correspondents().save(cert("expired", now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)), false));
        correspondents().save(cert("short", now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(20)), false));
        correspondents().save(cert("long", now.minus(Duration.ofDays(5)), now.plus(Duration.ofDays(300)), true));
        correspondents().save(cert("future", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(900)), true));

        assertThat(correspondents().current(CAROL, now)).get().extracting(CorrespondentCertificate::fingerprint)
                .isEqualTo("long");
        assertThat(correspondents().current(CAROL, now.plus(Duration.ofDays(301)))).get()
                .extracting(CorrespondentCertificate::fingerprint).isEqualTo("future");
        assertThat(correspondents().current(CAROL, now.plus(Duration.ofDays(1000)))).isEmpty();
        assertThat(correspondents().current("nobody@partner.example", now)).isEmpty();
    }

    @Test
    default void anAddressKeepsItsTenNewestHarvests_newestFirst() {
        Instant now = clock().instant();
        IntStream.range(0, 12).forEach(i -> {
            correspondents().save(cert(String.format("f%02d", i), now, now.plus(Duration.ofDays(30)), false));
            clock().advance(Duration.ofMinutes(1));
        });

        assertThat(correspondents().all(CAROL)).extracting(CorrespondentCertificate::fingerprint)
                .containsExactly("f11", "f10", "f09", "f08", "f07", "f06", "f05", "f04", "f03", "f02");
    }

    @Test
    default void deleteForgetsEveryCertificateOfTheAddressOnly() {
        Instant now = clock().instant();
        correspondents().save(cert("c1", now, now.plus(Duration.ofDays(30)), false));
        correspondents().save(cert("c2", now, now.plus(Duration.ofDays(60)), false));
        correspondents().save(new CorrespondentCertificate("dave@partner.example", "pem", "d1", now,
                now.plus(Duration.ofDays(30)), false, now));

        assertThat(correspondents().delete(CAROL)).isEqualTo(2);
        assertThat(correspondents().all(CAROL)).isEmpty();
        assertThat(correspondents().delete(CAROL)).isZero();
        assertThat(correspondents().all("dave@partner.example")).hasSize(1);
    }
}
