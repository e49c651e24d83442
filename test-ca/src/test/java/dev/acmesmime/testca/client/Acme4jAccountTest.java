package dev.acmesmime.testca.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.KeyPair;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * acme4j-client 4.0.0 manages accounts at the test CA without EAB (RFC 8555 §7.3): create, find with
 * {@code onlyReturnExisting}, update the contact, deactivate; and every account key algorithm the issue
 * asks for (ES256, ES384, RS256) carries a whole enrolment.
 */
class Acme4jAccountTest {
    @RegisterExtension
    static final RunningTestCa CA = RunningTestCa.withDefaults();

    @Test
    void directoryAdvertisesTermsAndNoEab() throws Exception {
        Session session = CA.session();
        assertThat(session.getMetadata().isExternalAccountRequired()).isFalse();
        assertThat(session.getMetadata().getTermsOfService()).isPresent();
    }

    @Test
    void createsAnAccountWithoutEab() throws Exception {
        Account account = new AccountBuilder().agreeToTermsOfService().addEmail("admin@example.org")
                .useKeyPair(Keys.ec256()).create(CA.session());
        assertThat(account.getStatus()).isEqualTo(Status.VALID);
        assertThat(account.getLocation().toString()).startsWith("https://");
        assertThat(account.getContacts()).containsExactly(URI.create("mailto:admin@example.org"));
        assertThat(account.hasExternalAccountBinding()).isFalse();
    }

    @Test
    void onlyReturnExistingFindsTheAccountOfAKnownKey() throws Exception {
        KeyPair key = Keys.ec256();
        Account created = new AccountBuilder().agreeToTermsOfService().useKeyPair(key).create(CA.session());
        Account found = new AccountBuilder().onlyExisting().useKeyPair(key).create(CA.session());
        assertThat(found.getLocation()).isEqualTo(created.getLocation());
    }

    @Test
    void onlyReturnExistingForAnUnknownKeyIsAccountDoesNotExist() {
        assertThatThrownBy(() -> new AccountBuilder().onlyExisting().useKeyPair(Keys.ec256()).create(CA.session()))
                .isInstanceOf(AcmeServerException.class)
                .extracting(e -> ((AcmeServerException) e).getType())
                .isEqualTo(Problems.type("accountDoesNotExist"));
    }

    @Test
    void updatesTheContact() throws Exception {
        Login login = new AccountBuilder().agreeToTermsOfService().addEmail("old@example.org")
                .useKeyPair(Keys.ec256()).createLogin(CA.session());
        login.getAccount().modify().addEmail("new@example.org").commit();

        Account reread = CA.session().login(login.getAccountLocation(), login.getKeyPair()).getAccount();
        reread.fetch();
        assertThat(reread.getContacts()).containsExactly(URI.create("mailto:old@example.org"),
                URI.create("mailto:new@example.org"));
    }

    @Test
    void aDeactivatedAccountCanNoLongerOrder() throws Exception {
        Enrolment enrolment = Enrolment.newAccount(CA, Keys.ec256());
        Account account = enrolment.login().getAccount();
        account.deactivate();
        assertThat(account.getStatus()).isEqualTo(Status.DEACTIVATED);

        assertThatThrownBy(() -> enrolment.order("deactivated@example.org"))
                .isInstanceOf(AcmeServerException.class)
                .extracting(e -> ((AcmeServerException) e).getType())
                .isEqualTo(Problems.type("unauthorized"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ES256", "ES384", "RS256"})
    void everyAccountKeyAlgorithmEnrols(String algorithm) throws Exception {
        Enrolment enrolment = Enrolment.newAccount(CA, Keys.forAlgorithm(algorithm));
        String address = algorithm.toLowerCase() + "@example.org";
        Certificate certificate = enrolment.issue(address, Keys.ec256());
        assertThat(certificate.getCertificate().getNotAfter().toInstant()).isAfter(Instant.now());
        assertThat(Certificates.rfc822Names(certificate.getCertificate())).containsExactly(address);
    }
}
