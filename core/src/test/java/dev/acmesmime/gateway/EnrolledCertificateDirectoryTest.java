package dev.acmesmime.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.acmesmime.enrolment.IssuedCertificate;
import dev.acmesmime.enrolment.KeyCodec;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.store.StoreSettings;
import dev.acmesmime.testing.MailboxCertificates;
import dev.acmesmime.testing.MailboxCertificates.Issued;
import dev.acmesmime.testing.MutableClock;

/** G2 on the real H2 store: only an issued (or renewing) certificate, valid now, whose stored key is its own. */
class EnrolledCertificateDirectoryTest {
    static final String ALICE = "alice@org.example";
    static final String CAROL = "carol@partner.example";
    static final MailboxCertificates CA = new MailboxCertificates("Gateway Test CA");

    @TempDir
    Path home;
    MutableClock clock;
    AcmeSmimeStore store;
    EnrolledCertificateDirectory directory;
    Issued alice;

    @BeforeEach
    void open() {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        store = AcmeSmimeStore.builder(StoreSettings.fromProperties(new Properties(), home)).clock(clock).open();
        directory = new EnrolledCertificateDirectory(store.enrolments(), store.correspondents(), clock);
        alice = CA.issue(ALICE);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void enrol(String mailbox, EnrolmentStep step, Issued cert, Issued keyOf) {
        IssuedCertificate chain = IssuedCertificate.of(cert.chain());
        store.enrolments().save(Enrolment.of(mailbox).withProfile("test-ca").withStep(step)
                .withCertificate(chain.pem(), chain.serial(), null, cert.leaf().getNotBefore().toInstant(),
                        cert.leaf().getNotAfter().toInstant())
                .withPrivateKey(KeyCodec.encode(keyOf.key())));
    }

    @Test
    void g2_anIssuedCertificateWithItsKeyIsFound_asSigningIdentityAndLocalRecipient() {
        enrol(ALICE, EnrolmentStep.ISSUED, alice, alice);

        Lookup<SigningIdentity> found = directory.identity("Alice@Org.Example");
        assertThat(found.found()).as(found.reason()).isTrue();
        SigningIdentity identity = found.value().orElseThrow();
        assertThat(identity.mailbox()).isEqualTo(ALICE);
        assertThat(identity.chain()).containsExactlyElementsOf(alice.chain());
        assertThat(identity.key().getEncoded()).isEqualTo(alice.key().getPrivate().getEncoded());
        assertThat(identity.toString()).doesNotContain(identity.key().toString());

        Lookup<RecipientCertificate> recipient = directory.recipient(ALICE);
        assertThat(recipient.value()).get().satisfies(r -> {
            assertThat(r.certificate()).isEqualTo(alice.leaf());
            assertThat(r.gcmCapable()).isTrue();
        });
    }

    /** A renewal keeps the key and the certificate in use until the new one is stored. */
    @ParameterizedTest
    @EnumSource(value = EnrolmentStep.class, names = {"KEY_READY", "ORDERED", "POSTED", "FINALIZING"})
    void g2_aRenewingEnrolmentStillSigns(EnrolmentStep step) {
        enrol(ALICE, step, alice, alice);

        assertThat(directory.identity(ALICE).found()).isTrue();
    }

    @Test
    void g2_expiredAndNotYetValidCertificatesAreNotUsed() {
        enrol(ALICE, EnrolmentStep.ISSUED, alice, alice);

        clock.advance(Duration.ofDays(400));
        assertThat(directory.identity(ALICE).code()).isEqualTo(GatewayCode.CERTIFICATE_EXPIRED);
        assertThat(directory.recipient(ALICE).code()).isEqualTo(GatewayCode.NO_RECIPIENT_CERTIFICATE);
        assertThat(directory.recipient(ALICE).reason()).contains("expired");

        clock.advance(Duration.ofDays(-402));
        assertThat(directory.identity(ALICE).code()).isEqualTo(GatewayCode.CERTIFICATE_NOT_YET_VALID);
        assertThat(directory.identity(ALICE).found()).isFalse();
    }

    @Test
    void g2_aStoredKeyOfAnotherCertificateIsAKeyMismatch() {
        enrol(ALICE, EnrolmentStep.ISSUED, alice, CA.issue(ALICE));

        Lookup<SigningIdentity> lookup = directory.identity(ALICE);
        assertThat(lookup.found()).isFalse();
        assertThat(lookup.code()).isEqualTo(GatewayCode.KEY_MISMATCH);
    }

    @Test
    void g2_noEnrolment_aNewOne_aRevokedOne_orAFailedOneHasNoCertificate() {
        assertThat(directory.identity(ALICE).code()).isEqualTo(GatewayCode.NO_CERTIFICATE);
        store.enrolments().save(Enrolment.of(ALICE));
        assertThat(directory.identity(ALICE).code()).isEqualTo(GatewayCode.NO_CERTIFICATE);
        enrol(ALICE, EnrolmentStep.NONE, alice, alice);
        assertThat(directory.identity(ALICE).code()).isEqualTo(GatewayCode.NO_CERTIFICATE);
        enrol(ALICE, EnrolmentStep.FAILED, alice, alice);
        assertThat(directory.identity(ALICE).code()).isEqualTo(GatewayCode.NO_CERTIFICATE);
        assertThat(directory.recipient(ALICE).code()).isEqualTo(GatewayCode.NO_RECIPIENT_CERTIFICATE);
    }

    @Test
    void g7_aHarvestedCorrespondentIsARecipient_withItsCapabilities_whileValid() {
        Issued carol = CA.issue(CAROL);
        IssuedCertificate chain = IssuedCertificate.of(carol.chain());
        store.correspondents().save(new CorrespondentCertificate(CAROL, chain.pem(), "c0ffee",
                carol.leaf().getNotBefore().toInstant(), carol.leaf().getNotAfter().toInstant(), false, clock.instant()));

        Lookup<RecipientCertificate> found = directory.recipient("Carol@Partner.Example");
        assertThat(found.value()).get().satisfies(r -> {
            assertThat(r.address()).isEqualTo(CAROL);
            assertThat(r.certificate()).isEqualTo(carol.leaf());
            assertThat(r.gcmCapable()).isFalse();
        });
        assertThat(directory.identity(CAROL).code()).isEqualTo(GatewayCode.NO_CERTIFICATE);

        clock.advance(Duration.ofDays(400));
        assertThat(directory.recipient(CAROL).code()).isEqualTo(GatewayCode.NO_RECIPIENT_CERTIFICATE);
    }
}
