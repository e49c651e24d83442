package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

interface StoreMaintenanceContract extends StoreFixture {

    @Test
    default void c20_c22_maintenanceExpiresOverdueChallengesAndPurgesOnlyWhatIsPastItsRetention() {
        AcmeSmimeStore s = store();
        URI url = URI.create("https://ca.example/acme/chall/m1");
        s.pendingChallenges().register(new PendingChallenge.Registration(url, "alice@org.example",
                "acme-challenge@ca.example", "DGyRejmCefe7v4NfDGDKfA", "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ",
                clock().instant().plus(Duration.ofHours(1))));
        assertThat(s.answeredChallenges().claim("<old@ca.example>", "tokenOld", "alice@org.example")).isTrue();
        s.audit().append(AuditRecord.entry(AuditEvent.CHALLENGE_IGNORED).address("alice@org.example"));
        StoreMaintenance maintenance = new StoreMaintenance(s, clock());

        assertThat(maintenance.runOnce()).isEqualTo(new StoreMaintenance.Report(0, 0, 0, 0, 0));

        clock().advance(StoreMaintenance.ANSWERED_CLAIM_RETENTION.plusDays(1));
        assertThat(s.answeredChallenges().claim("<new@ca.example>", "tokenNew", "alice@org.example")).isTrue();
        StoreMaintenance.Report after90Days = maintenance.runOnce();
        assertThat(after90Days.expiredChallenges()).isEqualTo(1);
        assertThat(after90Days.purgedClaims()).isEqualTo(1);
        assertThat(after90Days.purgedAudit()).as("825-day retention not reached").isZero();
        assertThat(s.pendingChallenges().find(url).orElseThrow().status()).isEqualTo(ChallengeStatus.EXPIRED);
        assertThat(s.answeredChallenges().find("<old@ca.example>", "tokenOld")).isEmpty();
        assertThat(s.answeredChallenges().find("<new@ca.example>", "tokenNew")).isPresent();

        clock().advance(s.audit().retention());
        assertThat(maintenance.runOnce()).isEqualTo(new StoreMaintenance.Report(0, 1, 0, 1, 0));
        assertThat(maintenance.runOnce()).as("idempotent").isEqualTo(new StoreMaintenance.Report(0, 0, 0, 0, 0));
    }
}
