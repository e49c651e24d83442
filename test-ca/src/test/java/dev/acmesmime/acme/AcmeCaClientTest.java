package dev.acmesmime.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.toolbox.AcmeUtils;

import dev.acmesmime.testca.client.RunningTestCa;
import dev.acmesmime.testca.client.TestCaTrust;
import dev.acmesmime.testing.FreePorts;

/**
 * {@link AcmeCaClient} against the test CA over TLS: the account found or created, every enrolment step
 * through the {@link CaClient} seam, ARI, a renewal order naming what it {@code replaces}, revocation, and
 * the failures the engine must tell apart.
 */
class AcmeCaClientTest {
    @RegisterExtension
    static final RunningTestCa CA = RunningTestCa.withDefaults();

    @TempDir
    Path dir;

    private AcmeCaClient client(MemoryAccountKeys keys) {
        return new AcmeCaClient(TestCaProfile.of(CA, dir).profile(), keys);
    }

    @Test
    void theAccountIsCreatedOnceAndFoundAgainWithTheStoredKey() {
        MemoryAccountKeys keys = new MemoryAccountKeys();
        AcmeCaClient first = client(keys);

        CaAccount account = first.account();

        MemoryAccountKeys.Saved saved = keys.saved(first.profile()).orElseThrow();
        assertThat(keys.history()).as("the key is saved before the CA is asked, then with the URL")
                .containsExactly(new MemoryAccountKeys.Saved(saved.key(), Optional.empty()),
                        new MemoryAccountKeys.Saved(saved.key(), Optional.of(account.url())));
        assertThat(first.account()).isEqualTo(account);
        assertThat(keys.history()).hasSize(2);

        CaAccount again = client(keys).account();
        assertThat(again).isEqualTo(account);
        assertThat(keys.saved(first.profile()).orElseThrow().key()).isSameAs(saved.key());
    }

    @Test
    void aStoredKeyTheCaNoLongerKnowsOpensANewAccount() {
        MemoryAccountKeys keys = new MemoryAccountKeys();
        CaProfile profile = TestCaProfile.of(CA, dir).profile();
        KeyPair forgotten = Keys.account();
        keys.save(profile, forgotten, Optional.of(URI.create("https://gone.example/acct/1")));

        CaAccount account = new AcmeCaClient(profile, keys).account();

        assertThat(account.url().getHost()).isEqualTo(CA.ca().directory().getHost());
        assertThat(keys.saved(profile).orElseThrow())
                .isEqualTo(new MemoryAccountKeys.Saved(forgotten, Optional.of(account.url())));
    }

    @Test
    void aMailboxIsEnrolledStepByStep() throws Exception {
        String mailbox = "alice@example.org";
        AcmeCaClient client = client(new MemoryAccountKeys());
        CaClientFlow flow = new CaClientFlow(CA, client);

        PlacedOrder order = client.placeOrder(mailbox, Optional.empty());
        assertThat(order.from()).isEqualTo(RunningTestCa.CHALLENGE_FROM);
        assertThat(order.tokenPart2()).isNotBlank();
        assertThat(order.expires()).isAfter(Instant.now());
        OrderState pending = client.order(order.orderUrl());
        assertThat(pending.status()).isEqualTo(OrderStatus.PENDING);
        assertThat(pending.retryAfter()).as("Retry-After of the pending order (test CA: 1 s)")
                .hasValueSatisfying(t -> assertThat(t)
                        .isBetween(Instant.now().minusSeconds(2), Instant.now().plusSeconds(2)));

        assertThat(flow.respond(order, mailbox, 0).status()).isBetween(200, 299);
        client.trigger(order.challengeUrl());
        OrderState ready = flow.awaitStatus(order.orderUrl(), Set.of(OrderStatus.READY, OrderStatus.INVALID));
        assertThat(ready.status()).isEqualTo(OrderStatus.READY);
        assertThat(ready.problem()).isEmpty();

        KeyPair key = Keys.generate(KeyType.EC_P256);
        client.finalizeOrder(order.orderUrl(), mailbox, key);
        OrderState valid = flow.awaitStatus(order.orderUrl(), Set.of(OrderStatus.VALID, OrderStatus.INVALID));
        assertThat(valid.status()).isEqualTo(OrderStatus.VALID);

        List<X509Certificate> chain = client.certificate(valid.certificateUrl().orElseThrow());
        assertLeafFor(chain, mailbox, key);
    }

    private static void assertLeafFor(List<X509Certificate> chain, String mailbox, KeyPair key) throws Exception {
        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getPublicKey()).isEqualTo(key.getPublic());
        assertThat(leaf.getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1)).containsExactly(mailbox);
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.4");
        assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(leaf.getKeyUsage()[4]).as("keyAgreement").isTrue();
        for (int i = 0; i + 1 < chain.size(); i++) {
            chain.get(i).verify(chain.get(i + 1).getPublicKey());
        }
        X509Certificate root = (X509Certificate) TestCaTrust.certificates(List.of(CA.ca().rootPem())).get(0);
        chain.get(chain.size() - 1).verify(root.getPublicKey());
    }

    @Test
    void aSigningOnlyRsaProfileGetsASigningOnlyCertificate() throws Exception {
        CaProfile profile = TestCaProfile.of(CA, dir).with(CaProfiles.KEY_TYPE, "rsa-2048")
                .with(CaProfiles.KEY_USAGE, "signing").profile();
        AcmeCaClient client = new AcmeCaClient(profile, new MemoryAccountKeys());

        X509Certificate leaf = new CaClientFlow(CA, client).enrol("sign-only@example.org",
                Keys.generate(profile.keyType()), Optional.empty(), 0).get(0);

        assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(leaf.getKeyUsage()).containsExactly(true, false, false, false, false, false, false, false, false);
    }

    @Test
    void renewalInfoIsReadAndARenewalOrderNamesWhatItReplaces() throws Exception {
        String mailbox = "renew@example.org";
        MemoryAccountKeys keys = new MemoryAccountKeys();
        AcmeCaClient client = client(keys);
        CaClientFlow flow = new CaClientFlow(CA, client);
        X509Certificate leaf = flow.enrol(mailbox, Keys.generate(KeyType.EC_P256), Optional.empty(), 0).get(0);

        RenewalWindow window = client.renewalInfo(leaf).orElseThrow();
        assertThat(window.start()).isAfterOrEqualTo(leaf.getNotBefore().toInstant()).isBefore(window.end());
        assertThat(window.end()).isBeforeOrEqualTo(leaf.getNotAfter().toInstant());

        String certId = AcmeUtils.getRenewalUniqueIdentifier(leaf);
        PlacedOrder renewal = client.placeOrder(mailbox, Optional.of(certId));
        KeyPair accountKey = keys.saved(client.profile()).orElseThrow().key();
        assertThat(CA.session().login(client.account().url().toURL(), accountKey).bindOrder(renewal.orderUrl().toURL())
                .getJSON().get("replaces").asString()).isEqualTo(certId);
        flow.respond(renewal, mailbox, 1);
        client.trigger(renewal.challengeUrl());
        assertThat(flow.awaitStatus(renewal.orderUrl(), Set.of(OrderStatus.READY, OrderStatus.INVALID)).status())
                .isEqualTo(OrderStatus.READY);
    }

    @Test
    void aCertificateIsRevokedWithTheAccountKey() throws Exception {
        AcmeCaClient client = client(new MemoryAccountKeys());
        X509Certificate leaf = new CaClientFlow(CA, client).enrol("revoke@example.org",
                Keys.generate(KeyType.EC_P256), Optional.empty(), 0).get(0);

        client.revoke(leaf);

        assertThat(CA.management().certificateStatus(leaf.getSerialNumber()).path("status").asText())
                .isEqualTo("revoked");
        assertThatThrownBy(() -> client.revoke(leaf)).isInstanceOf(CaException.class)
                .extracting(e -> ((CaException) e).problem().type())
                .isEqualTo(CaProblem.acmeType("alreadyRevoked"));
    }

    @Test
    void termsTheProfileDoesNotAgreeToStopTheAccount() {
        MemoryAccountKeys keys = new MemoryAccountKeys();
        CaProfile profile = TestCaProfile.of(CA, dir).with(CaProfiles.TERMS_OF_SERVICE_AGREED, "false").profile();

        assertThatThrownBy(() -> new AcmeCaClient(profile, keys).account()).isInstanceOf(CaException.class)
                .extracting(e -> ((CaException) e).problem())
                .satisfies(p -> assertThat(p.type()).isEqualTo(CaProblem.TERMS_NOT_AGREED))
                .satisfies(p -> assertThat(p.detail()).contains("enrolment.profile.test.termsOfServiceAgreed=true"))
                .satisfies(p -> assertThat(p.retryable()).isFalse());
        assertThat(keys.saved(profile).orElseThrow().url()).as("no account URL saved").isEmpty();
    }

    @Test
    void anUnreachableCaIsARetryableConnectionProblem() throws Exception {
        CaProfile profile = TestCaProfile.of(CA, dir)
                .with(CaProfiles.DIRECTORY, "https://localhost:" + FreePorts.tcp() + "/dir").profile();

        assertThatThrownBy(() -> new AcmeCaClient(profile, new MemoryAccountKeys()).account())
                .isInstanceOf(CaException.class)
                .extracting(e -> ((CaException) e).problem())
                .satisfies(p -> assertThat(p.type()).isEqualTo(CaProblem.CONNECTION))
                .satisfies(p -> assertThat(p.retryable()).isTrue())
                .satisfies(p -> assertThat(p.httpStatus()).isZero());
    }

    @Test
    void anOrderUrlTheCaDoesNotKnowIsTheCasProblem() {
        AcmeCaClient client = client(new MemoryAccountKeys());
        URI unknown = CA.ca().directory().resolve("/order/no-such-order");

        assertThatThrownBy(() -> client.order(unknown)).isInstanceOf(CaException.class)
                .extracting(e -> ((CaException) e).problem())
                .satisfies(p -> assertThat(p.type()).startsWith(CaProblem.ACME_ERROR_PREFIX))
                .satisfies(p -> assertThat(p.httpStatus()).isBetween(400, 499));
    }
}
